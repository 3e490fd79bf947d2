/*
 * tapi_port.h — the Windows base types that tapi.h and the COM headers use,
 * defined for Linux with fixed widths.
 *
 * Windows programs written against TAPI expect DWORD to be 32 bits, LONG to be
 * 32 bits (even where C `long` is 64), handles to be 32-bit values and GUIDs to
 * be 16 bytes. This header gives exactly that and nothing more, so that
 * `#include <tapi.h>` compiles unchanged on Linux without Wine.
 *
 * Wide characters: WCHAR is the platform's wchar_t (UTF-32 on Linux), so that
 * L"..." literals written for Windows keep working. Sizes in TAPI structures
 * stay in bytes, so a W-form string of n characters plus NUL is 4*(n+1) bytes.
 * See docs/decisions.md.
 *
 * Usable from C (C99 or later) and C++.
 */
#ifndef OPENTAPI_TAPI_PORT_H
#define OPENTAPI_TAPI_PORT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Calling conventions are the platform C ABI on Linux. */
#ifndef WINAPI
#define WINAPI
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef STDMETHODCALLTYPE
#define STDMETHODCALLTYPE
#endif

#ifndef OPENTAPI_BASE_TYPES_DEFINED
#define OPENTAPI_BASE_TYPES_DEFINED
typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef uint32_t ULONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG;
typedef int32_t BOOL;
typedef int32_t INT;
typedef uint32_t UINT;
typedef int16_t SHORT;
typedef uint16_t USHORT;
typedef char CHAR;
typedef wchar_t WCHAR;
typedef uintptr_t DWORD_PTR;
typedef uintptr_t ULONG_PTR;
typedef intptr_t LONG_PTR;
typedef ULONG_PTR SIZE_T;
typedef void VOID;
typedef void* LPVOID;
typedef const void* LPCVOID;
typedef void* HANDLE;
typedef void* HINSTANCE;
typedef void* HWND;
typedef void* HICON;
typedef HICON* LPHICON;
typedef DWORD* LPDWORD;
typedef LONG* LPLONG;
typedef BYTE* LPBYTE;
typedef CHAR* LPSTR;
typedef const CHAR* LPCSTR;
typedef WCHAR* LPWSTR;
typedef const WCHAR* LPCWSTR;
#ifdef UNICODE
typedef WCHAR TCHAR;
#else
typedef CHAR TCHAR;
#endif
typedef TCHAR* LPTSTR;
typedef const TCHAR* LPCTSTR;
#endif /* OPENTAPI_BASE_TYPES_DEFINED */

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef INFINITE
#define INFINITE 0xFFFFFFFFu
#endif

/* GUID: 16 bytes, the layout Windows uses. */
#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
  uint32_t Data1;
  uint16_t Data2;
  uint16_t Data3;
  uint8_t Data4[8];
} GUID;
#endif
typedef GUID* LPGUID;
typedef const GUID* LPCGUID;
typedef GUID IID;
typedef GUID CLSID;
typedef IID* LPIID;
typedef CLSID* LPCLSID;
#ifdef __cplusplus
#define REFGUID const GUID&
#define REFIID const IID&
#define REFCLSID const CLSID&
#else
#define REFGUID const GUID*
#define REFIID const IID*
#define REFCLSID const CLSID*
#endif

/* CURRENCY: a 64-bit integer holding value x 10 000 (four implied decimals).
 * Declared as Windows declares CY so that `cy.int64` compiles unchanged. */
typedef union tagCY {
  struct {
    ULONG Lo;
    LONG Hi;
  } s;
  LONGLONG int64;
} CY;
typedef CY CURRENCY;

/* DATE: OLE Automation date, days since 1899-12-30 00:00; fraction = time of day. */
typedef double DATE;

/* SYSTEMTIME: a calendar date and time in eight WORDs, as Windows lays it out
 * (LINECALLSTATUS.tStateEntryTime). 16 bytes. */
#ifndef OPENTAPI_SYSTEMTIME_DEFINED
#define OPENTAPI_SYSTEMTIME_DEFINED
typedef struct _SYSTEMTIME {
  WORD wYear;
  WORD wMonth;
  WORD wDayOfWeek; /* 0 = Sunday */
  WORD wDay;
  WORD wHour;
  WORD wMinute;
  WORD wSecond;
  WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;
#endif

#ifdef __cplusplus
} /* extern "C" */

/* Equality of GUIDs, as Windows programs write it. */
inline bool IsEqualGUID(REFGUID a, REFGUID b) {
  const unsigned char* pa = reinterpret_cast<const unsigned char*>(&a);
  const unsigned char* pb = reinterpret_cast<const unsigned char*>(&b);
  for (int i = 0; i < 16; ++i) {
    if (pa[i] != pb[i]) return false;
  }
  return true;
}
inline bool operator==(REFGUID a, REFGUID b) { return IsEqualGUID(a, b); }
inline bool operator!=(REFGUID a, REFGUID b) { return !IsEqualGUID(a, b); }
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#else
#define IsEqualGUID(a, b) (memcmp((a), (b), sizeof(GUID)) == 0)
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#endif

#endif /* OPENTAPI_TAPI_PORT_H */

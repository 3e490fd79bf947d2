/*
 * tapi_com.h — the minimal COM base a TAPI 3 program uses, for Linux.
 *
 * A Windows TAPI 3 application includes <tapi3.h>, which pulls in the COM
 * headers (objbase.h, oaidl.h, ocidl.h). This header gives exactly the part of
 * them that TAPI 3 code touches: HRESULT and its standard codes, BSTR and
 * VARIANT, IUnknown / IDispatch, connection points (how ITTAPIEventNotification
 * sinks are registered), the enumerator interfaces, the Co*() entry points and
 * the Sys*() / Variant*() helpers, with their Windows names and semantics.
 *
 * Binary contract: interfaces are abstract classes whose virtual functions are
 * declared in Windows vtable order; no interface has a virtual destructor (a
 * COM object frees itself in Release). OLECHAR is wchar_t (UTF-32 on Linux),
 * see tapi_port.h. COM `long` is LONG (32 bits) everywhere.
 *
 * Ownership (COM rules): BSTRs and interface pointers returned through [out]
 * parameters belong to the caller (SysFreeString / Release); [in] arguments
 * stay owned by the caller. No C++ exception crosses any function declared
 * here.
 *
 * C++ only.
 */
#ifndef OPENTAPI_TAPI_COM_H
#define OPENTAPI_TAPI_COM_H

#ifndef __cplusplus
#error "tapi_com.h declares COM interfaces as C++ classes; include it from C++"
#endif

#include "tapi_port.h"

/* Symbols libopentapi exports (the library is built with hidden visibility). */
#ifndef OPENTAPI_COM_API
#define OPENTAPI_COM_API __attribute__((visibility("default")))
#endif

#ifndef EXTERN_C
#define EXTERN_C extern "C"
#endif

/* Helpers Windows code uses to declare and define interface methods. */
#ifndef STDMETHOD
#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#endif
#ifndef PURE
#define PURE = 0
#endif

/* ---- HRESULT ----------------------------------------------------------- */

#ifndef _HRESULT_DEFINED
#define _HRESULT_DEFINED
typedef int32_t HRESULT;
#endif
typedef LONG SCODE;

#define SUCCEEDED(hr) (((HRESULT)(hr)) >= 0)
#define FAILED(hr) (((HRESULT)(hr)) < 0)

#define S_OK ((HRESULT)0x00000000L)
#define S_FALSE ((HRESULT)0x00000001L)
#define E_NOTIMPL ((HRESULT)0x80004001L)
#define E_NOINTERFACE ((HRESULT)0x80004002L)
#define E_POINTER ((HRESULT)0x80004003L)
#define E_ABORT ((HRESULT)0x80004004L)
#define E_FAIL ((HRESULT)0x80004005L)
#define E_UNEXPECTED ((HRESULT)0x8000FFFFL)
#define E_ACCESSDENIED ((HRESULT)0x80070005L)
#define E_HANDLE ((HRESULT)0x80070006L)
#define E_OUTOFMEMORY ((HRESULT)0x8007000EL)
#define E_INVALIDARG ((HRESULT)0x80070057L)

#define RPC_E_CHANGED_MODE ((HRESULT)0x80010106L)
#define CLASS_E_NOAGGREGATION ((HRESULT)0x80040110L)
#define CLASS_E_CLASSNOTAVAILABLE ((HRESULT)0x80040111L)
#define REGDB_E_CLASSNOTREG ((HRESULT)0x80040154L)
#define CONNECT_E_NOCONNECTION ((HRESULT)0x80040200L)
#define CONNECT_E_ADVISELIMIT ((HRESULT)0x80040201L)
#define CO_E_NOTINITIALIZED ((HRESULT)0x800401F0L)
#define CO_E_CLASSSTRING ((HRESULT)0x800401F3L)

/* IDispatch::Invoke and VARIANT helper failures. */
#define DISP_E_UNKNOWNINTERFACE ((HRESULT)0x80020001L)
#define DISP_E_MEMBERNOTFOUND ((HRESULT)0x80020003L)
#define DISP_E_PARAMNOTFOUND ((HRESULT)0x80020004L)
#define DISP_E_TYPEMISMATCH ((HRESULT)0x80020005L)
#define DISP_E_UNKNOWNNAME ((HRESULT)0x80020006L)
#define DISP_E_NONAMEDARGS ((HRESULT)0x80020007L)
#define DISP_E_BADVARTYPE ((HRESULT)0x80020008L)
#define DISP_E_EXCEPTION ((HRESULT)0x80020009L)
#define DISP_E_OVERFLOW ((HRESULT)0x8002000AL)
#define DISP_E_BADINDEX ((HRESULT)0x8002000BL)
#define DISP_E_BADPARAMCOUNT ((HRESULT)0x8002000EL)
#define DISP_E_PARAMNOTOPTIONAL ((HRESULT)0x8002000FL)

/* ---- Strings ----------------------------------------------------------- */

typedef WCHAR OLECHAR;
typedef OLECHAR* LPOLESTR;
typedef const OLECHAR* LPCOLESTR;

/* A BSTR points at the first character; the 32-bit byte length (without the
 * terminating NUL) is stored just before it. May hold embedded NULs. NULL is a
 * valid empty BSTR. */
typedef OLECHAR* BSTR;
typedef BSTR* LPBSTR;

/* ---- Automation types -------------------------------------------------- */

typedef SHORT VARIANT_BOOL;
#define VARIANT_TRUE ((VARIANT_BOOL)-1)
#define VARIANT_FALSE ((VARIANT_BOOL)0)

typedef LONG DISPID;
typedef DWORD LCID;
typedef DISPID MEMBERID;

#define DISPID_UNKNOWN (-1)
#define DISPID_VALUE (0)
#define DISPID_PROPERTYPUT (-3)
#define DISPID_NEWENUM (-4)

#define DISPATCH_METHOD 0x1
#define DISPATCH_PROPERTYGET 0x2
#define DISPATCH_PROPERTYPUT 0x4
#define DISPATCH_PROPERTYPUTREF 0x8

typedef WORD VARTYPE;

/* VARTYPE values (VARENUM). VT_ARRAY and VT_BYREF are flags combined with a
 * base type. */
enum VARENUM {
  VT_EMPTY = 0,
  VT_NULL = 1,
  VT_I2 = 2,
  VT_I4 = 3,
  VT_R4 = 4,
  VT_R8 = 5,
  VT_CY = 6,
  VT_DATE = 7,
  VT_BSTR = 8,
  VT_DISPATCH = 9,
  VT_ERROR = 10,
  VT_BOOL = 11,
  VT_VARIANT = 12,
  VT_UNKNOWN = 13,
  VT_DECIMAL = 14,
  VT_I1 = 16,
  VT_UI1 = 17,
  VT_UI2 = 18,
  VT_UI4 = 19,
  VT_I8 = 20,
  VT_UI8 = 21,
  VT_INT = 22,
  VT_UINT = 23,
  VT_VOID = 24,
  VT_HRESULT = 25,
  VT_RECORD = 36,
  VT_VECTOR = 0x1000,
  VT_ARRAY = 0x2000,
  VT_BYREF = 0x4000,
  VT_RESERVED = 0x8000,
  VT_ILLEGAL = 0xffff,
  VT_ILLEGALMASKED = 0x0fff,
  VT_TYPEMASK = 0x0fff
};

struct IUnknown;
struct IDispatch;
struct ITypeInfo;                      /* opaque: type information is not provided */
struct IRecordInfo;                    /* opaque: VT_RECORD is not supported */
typedef struct tagSAFEARRAY SAFEARRAY; /* opaque: SAFEARRAYs are not provided yet */

/* The VT_RECORD payload of a VARIANT (two pointers; makes VARIANT 24 bytes on
 * 64-bit platforms, as on Windows). */
struct tagBRECORD {
  void* pvRecord;
  IRecordInfo* pRecInfo;
};

/* VARIANT: a type tag, three reserved WORDs and an 8- or 16-byte value.
 * Layout matches Windows: 16 bytes on 32-bit, 24 bytes on 64-bit. The
 * DECIMAL overlay of Windows is not provided. */
typedef struct tagVARIANT {
  VARTYPE vt;
  WORD wReserved1;
  WORD wReserved2;
  WORD wReserved3;
  union {
    LONGLONG llVal;
    LONG lVal;
    BYTE bVal;
    SHORT iVal;
    float fltVal;
    double dblVal;
    VARIANT_BOOL boolVal;
    SCODE scode;
    CY cyVal;
    DATE date;
    BSTR bstrVal;
    IUnknown* punkVal;
    IDispatch* pdispVal;
    SAFEARRAY* parray;
    BYTE* pbVal;
    SHORT* piVal;
    LONG* plVal;
    LONGLONG* pllVal;
    float* pfltVal;
    double* pdblVal;
    VARIANT_BOOL* pboolVal;
    SCODE* pscode;
    CY* pcyVal;
    DATE* pdate;
    BSTR* pbstrVal;
    IUnknown** ppunkVal;
    IDispatch** ppdispVal;
    SAFEARRAY** pparray;
    struct tagVARIANT* pvarVal;
    void* byref;
    CHAR cVal;
    USHORT uiVal;
    ULONG ulVal;
    ULONGLONG ullVal;
    INT intVal;
    UINT uintVal;
    CHAR* pcVal;
    USHORT* puiVal;
    ULONG* pulVal;
    ULONGLONG* pullVal;
    INT* pintVal;
    UINT* puintVal;
    tagBRECORD brecVal;
  };
} VARIANT;
typedef VARIANT VARIANTARG;
typedef VARIANT* LPVARIANT;
typedef VARIANT* LPVARIANTARG;

/* Accessors, as Windows code writes them: V_VT(&v) = VT_DISPATCH; ... */
#define V_VT(X) ((X)->vt)
#define V_ISBYREF(X) (V_VT(X) & VT_BYREF)
#define V_ISARRAY(X) (V_VT(X) & VT_ARRAY)
#define V_I1(X) ((X)->cVal)
#define V_UI1(X) ((X)->bVal)
#define V_I2(X) ((X)->iVal)
#define V_UI2(X) ((X)->uiVal)
#define V_I4(X) ((X)->lVal)
#define V_I4REF(X) ((X)->plVal)
#define V_UI4(X) ((X)->ulVal)
#define V_I8(X) ((X)->llVal)
#define V_UI8(X) ((X)->ullVal)
#define V_INT(X) ((X)->intVal)
#define V_UINT(X) ((X)->uintVal)
#define V_R4(X) ((X)->fltVal)
#define V_R8(X) ((X)->dblVal)
#define V_CY(X) ((X)->cyVal)
#define V_DATE(X) ((X)->date)
#define V_BSTR(X) ((X)->bstrVal)
#define V_BSTRREF(X) ((X)->pbstrVal)
#define V_BOOL(X) ((X)->boolVal)
#define V_ERROR(X) ((X)->scode)
#define V_UNKNOWN(X) ((X)->punkVal)
#define V_UNKNOWNREF(X) ((X)->ppunkVal)
#define V_DISPATCH(X) ((X)->pdispVal)
#define V_DISPATCHREF(X) ((X)->ppdispVal)
#define V_VARIANTREF(X) ((X)->pvarVal)
#define V_ARRAY(X) ((X)->parray)
#define V_BYREF(X) ((X)->byref)

/* Arguments of IDispatch::Invoke (rgvarg is in reverse order). */
typedef struct tagDISPPARAMS {
  VARIANTARG* rgvarg;
  DISPID* rgdispidNamedArgs;
  UINT cArgs;
  UINT cNamedArgs;
} DISPPARAMS;

/* Exception information filled by IDispatch::Invoke on DISP_E_EXCEPTION. */
typedef struct tagEXCEPINFO {
  WORD wCode;
  WORD wReserved;
  BSTR bstrSource;
  BSTR bstrDescription;
  BSTR bstrHelpFile;
  DWORD dwHelpContext;
  void* pvReserved;
  HRESULT(STDMETHODCALLTYPE* pfnDeferredFillIn)(struct tagEXCEPINFO*);
  SCODE scode;
} EXCEPINFO;
typedef EXCEPINFO* LPEXCEPINFO;

/* ---- Core interfaces --------------------------------------------------- */

/* IUnknown: identity and lifetime of every COM object. */
struct IUnknown {
  /* S_OK and an AddRef'd *ppvObject, or E_NOINTERFACE and *ppvObject = NULL;
   * E_POINTER if ppvObject is NULL. */
  virtual HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppvObject) = 0;
  /* Both return the new count, for diagnostics only. */
  virtual ULONG STDMETHODCALLTYPE AddRef(void) = 0;
  virtual ULONG STDMETHODCALLTYPE Release(void) = 0;
};
typedef IUnknown* LPUNKNOWN;

/* IDispatch: late-bound (Automation) access; base of every TAPI 3 IT*
 * interface (docs/reference/tapi3-callcenter.md §1.1 rule 7). */
struct IDispatch : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT* pctinfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT iTInfo, LCID lcid, ITypeInfo** ppTInfo) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID riid, LPOLESTR* rgszNames, UINT cNames, LCID lcid,
                                                  DISPID* rgDispId) = 0;
  virtual HRESULT STDMETHODCALLTYPE Invoke(DISPID dispIdMember, REFIID riid, LCID lcid, WORD wFlags,
                                           DISPPARAMS* pDispParams, VARIANT* pVarResult, EXCEPINFO* pExcepInfo,
                                           UINT* puArgErr) = 0;
};
typedef IDispatch* LPDISPATCH;

/* IEnumUnknown: standard enumerator of IUnknown pointers. */
struct IEnumUnknown : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, IUnknown** rgelt, ULONG* pceltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumUnknown** ppenum) = 0;
};

/* IEnumVARIANT: what ITCollection::get__NewEnum returns. */
struct IEnumVARIANT : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG celt, VARIANT* rgVar, ULONG* pCeltFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG celt) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumVARIANT** ppEnum) = 0;
};

/* ---- Connection points (event sinks) ------------------------------------ */

struct IConnectionPoint;
struct IEnumConnections;
struct IEnumConnectionPoints;

/* One advise: the sink and the cookie Advise returned for it. */
typedef struct tagCONNECTDATA {
  IUnknown* pUnk;
  DWORD dwCookie;
} CONNECTDATA;
typedef CONNECTDATA* LPCONNECTDATA;

/* IConnectionPointContainer: the TAPI object exposes one connection point,
 * for IID_ITTAPIEventNotification (docs/reference/tapi3-callcenter.md §3.9). */
struct IConnectionPointContainer : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE EnumConnectionPoints(IEnumConnectionPoints** ppEnum) = 0;
  /* CONNECT_E_NOCONNECTION when no connection point exists for riid. */
  virtual HRESULT STDMETHODCALLTYPE FindConnectionPoint(REFIID riid, IConnectionPoint** ppCP) = 0;
};

/* IConnectionPoint: registers and unregisters event sinks. */
struct IConnectionPoint : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE GetConnectionInterface(IID* pIID) = 0;
  virtual HRESULT STDMETHODCALLTYPE GetConnectionPointContainer(IConnectionPointContainer** ppCPC) = 0;
  /* Holds a reference to pUnkSink until Unadvise; CONNECT_E_ADVISELIMIT when
   * no more sinks are accepted. */
  virtual HRESULT STDMETHODCALLTYPE Advise(IUnknown* pUnkSink, DWORD* pdwCookie) = 0;
  /* CONNECT_E_NOCONNECTION for an unknown cookie. */
  virtual HRESULT STDMETHODCALLTYPE Unadvise(DWORD dwCookie) = 0;
  virtual HRESULT STDMETHODCALLTYPE EnumConnections(IEnumConnections** ppEnum) = 0;
};

/* IEnumConnections: enumerates the sinks of one connection point. */
struct IEnumConnections : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG cConnections, CONNECTDATA* rgcd, ULONG* pcFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG cConnections) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumConnections** ppEnum) = 0;
};

/* IEnumConnectionPoints: enumerates the connection points of a container. */
struct IEnumConnectionPoints : IUnknown {
  virtual HRESULT STDMETHODCALLTYPE Next(ULONG cConnections, IConnectionPoint** ppCP, ULONG* pcFetched) = 0;
  virtual HRESULT STDMETHODCALLTYPE Skip(ULONG cConnections) = 0;
  virtual HRESULT STDMETHODCALLTYPE Reset(void) = 0;
  virtual HRESULT STDMETHODCALLTYPE Clone(IEnumConnectionPoints** ppEnum) = 0;
};

/* ---- Interface identifiers ---------------------------------------------- */

EXTERN_C OPENTAPI_COM_API const IID IID_IUnknown;
EXTERN_C OPENTAPI_COM_API const IID IID_IDispatch;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumUnknown;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumVARIANT;
EXTERN_C OPENTAPI_COM_API const IID IID_IConnectionPointContainer;
EXTERN_C OPENTAPI_COM_API const IID IID_IConnectionPoint;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumConnections;
EXTERN_C OPENTAPI_COM_API const IID IID_IEnumConnectionPoints;

/* ---- Runtime entry points ----------------------------------------------- */

/* Class contexts for CoCreateInstance. */
typedef enum tagCLSCTX {
  CLSCTX_INPROC_SERVER = 0x1,
  CLSCTX_INPROC_HANDLER = 0x2,
  CLSCTX_LOCAL_SERVER = 0x4,
  CLSCTX_INPROC_SERVER16 = 0x8,
  CLSCTX_REMOTE_SERVER = 0x10
} CLSCTX;
#define CLSCTX_INPROC (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER)
#define CLSCTX_SERVER (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)
#define CLSCTX_ALL (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)

/* Threading models for CoInitializeEx. */
typedef enum tagCOINIT {
  COINIT_MULTITHREADED = 0x0,
  COINIT_APARTMENTTHREADED = 0x2,
  COINIT_DISABLE_OLE1DDE = 0x4,
  COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

extern "C" {

/* COM library lifetime and object creation (the TAPI object is created with
 * CoCreateInstance(CLSID_TAPI, NULL, CLSCTX_INPROC_SERVER, IID_ITTAPI, ...)). */
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE CoInitialize(LPVOID pvReserved);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit);
OPENTAPI_COM_API void STDMETHODCALLTYPE CoUninitialize(void);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext,
                                                            REFIID riid, LPVOID* ppv);

/* The COM task allocator: memory a method hands to its caller, such as the
 * buffer of ITCallInfo::GetCallInfoBuffer or the string of StringFromIID,
 * is allocated with CoTaskMemAlloc and freed by the caller with
 * CoTaskMemFree. CoTaskMemFree(NULL) is a no-op. */
OPENTAPI_COM_API LPVOID STDMETHODCALLTYPE CoTaskMemAlloc(SIZE_T cb);
OPENTAPI_COM_API LPVOID STDMETHODCALLTYPE CoTaskMemRealloc(LPVOID pv, SIZE_T cb);
OPENTAPI_COM_API void STDMETHODCALLTYPE CoTaskMemFree(LPVOID pv);

/* GUIDs as registry strings "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (38
 * characters), the form TAPI 3 takes terminal classes in (a BSTR for
 * ITTerminalSupport::CreateTerminal). StringFromIID / StringFromCLSID return
 * a CoTaskMemAlloc'd string; StringFromGUID2 writes into lpsz and returns
 * the characters written including the NUL, or 0 if cchMax is below 39.
 * CLSIDFromString / IIDFromString parse the same form. */
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE StringFromIID(REFIID rclsid, LPOLESTR* lplpsz);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE StringFromCLSID(REFCLSID rclsid, LPOLESTR* lplpsz);
OPENTAPI_COM_API int STDMETHODCALLTYPE StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE IIDFromString(LPCOLESTR lpsz, LPIID lpiid);

/* BSTR allocation. Allocation failure returns NULL (FALSE for the ReAlloc
 * forms, which then leave *pbstr unchanged). */
/* Copy of a NUL-terminated string; NULL in gives NULL out. */
OPENTAPI_COM_API BSTR STDMETHODCALLTYPE SysAllocString(const OLECHAR* psz);
/* ui characters copied from strIn (which may hold NULs), plus a terminating
 * NUL; strIn NULL gives ui zeroed characters. */
OPENTAPI_COM_API BSTR STDMETHODCALLTYPE SysAllocStringLen(const OLECHAR* strIn, UINT ui);
/* len bytes copied from psz (zeroed if psz is NULL), then NUL-terminated. */
OPENTAPI_COM_API BSTR STDMETHODCALLTYPE SysAllocStringByteLen(LPCSTR psz, UINT len);
/* Replaces *pbstr by a copy of psz (NULL psz: an empty string) and frees the
 * old one; psz may point into *pbstr. TRUE on success. */
OPENTAPI_COM_API INT STDMETHODCALLTYPE SysReAllocString(BSTR* pbstr, const OLECHAR* psz);
/* As SysReAllocString with len characters; psz NULL keeps the first len
 * characters of the old string (zero-filled beyond its end). */
OPENTAPI_COM_API INT STDMETHODCALLTYPE SysReAllocStringLen(BSTR* pbstr, const OLECHAR* psz, UINT len);
/* NULL is a no-op. */
OPENTAPI_COM_API void STDMETHODCALLTYPE SysFreeString(BSTR bstrString);
/* Length in characters (0 for NULL), not counting the terminator. */
OPENTAPI_COM_API UINT STDMETHODCALLTYPE SysStringLen(BSTR pbstr);
/* Length in bytes (0 for NULL), not counting the terminator. */
OPENTAPI_COM_API UINT STDMETHODCALLTYPE SysStringByteLen(BSTR bstr);

/* VARIANT handling. */
/* Sets vt = VT_EMPTY (and zeroes the rest). */
OPENTAPI_COM_API void STDMETHODCALLTYPE VariantInit(VARIANTARG* pvarg);
/* Frees what the VARIANT owns (SysFreeString a VT_BSTR, Release a
 * VT_UNKNOWN / VT_DISPATCH; nothing for VT_BYREF) and sets VT_EMPTY.
 * DISP_E_BADVARTYPE (VARIANT untouched) for a type it cannot free, including
 * VT_ARRAY and VT_RECORD; E_INVALIDARG for NULL. */
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE VariantClear(VARIANTARG* pvarg);
/* Clears pvargDest, then makes it an independent copy of pvargSrc: BSTRs are
 * duplicated, interface pointers AddRef'd, VT_BYREF copied as a pointer. */
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE VariantCopy(VARIANTARG* pvargDest, const VARIANTARG* pvargSrc);

typedef ULONG_PTR SIZE_T;

/* Task memory: what a COM method allocates for its caller
 * (ITCallInfo::GetCallInfoBuffer, StringFromIID). CoTaskMemAlloc returns
 * NULL when out of memory; CoTaskMemFree(NULL) is a no-op. */
OPENTAPI_COM_API LPVOID STDMETHODCALLTYPE CoTaskMemAlloc(SIZE_T cb);
OPENTAPI_COM_API void STDMETHODCALLTYPE CoTaskMemFree(LPVOID pv);

/* GUIDs as registry strings, "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}".
 * StringFromGUID2 writes into lpsz (cchMax characters, 39 needed) and returns
 * the characters written with the NUL, or 0 when the buffer is too small.
 * StringFromIID allocates *lplpsz with CoTaskMemAlloc (E_OUTOFMEMORY). */
OPENTAPI_COM_API int STDMETHODCALLTYPE StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE StringFromIID(REFIID rclsid, LPOLESTR* lplpsz);
OPENTAPI_COM_API HRESULT STDMETHODCALLTYPE StringFromCLSID(REFCLSID rclsid, LPOLESTR* lplpsz);

} /* extern "C" */

#endif /* OPENTAPI_TAPI_COM_H */

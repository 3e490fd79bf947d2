/*
 * opentapi_ext.h — Linux-specific extras of libopentapi that have no
 * Windows counterpart in tapi.h.
 *
 * Usable from C and C++. Include after (or instead of) tapi.h.
 */
#ifndef OPENTAPI_OPENTAPI_EXT_H
#define OPENTAPI_OPENTAPI_EXT_H

#include "tapi.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file descriptor behind the event that lineInitializeEx returns in
 * LINEINITIALIZEEXPARAMS.Handles.hEvent with LINEINITIALIZEEXOPTION_USEEVENT.
 *
 * It is an eventfd that is readable (POLLIN) exactly while messages are
 * queued for the application, so it can be added to poll/epoll/select loops;
 * after it becomes readable, call lineGetMessage until it reports a time-out.
 * Do not read, write or close the descriptor: the library owns it and closes
 * it in lineShutdown. Returns -1 for a NULL handle. (The HANDLE encodes the
 * descriptor; only this function decodes it.) */
int opentapi_event_fd(HANDLE hEvent);

/* The address ID of a call's appearance, its call ID and the related call
 * ID (the other party's appearance of an internal call, 0 if none) in one
 * request: the LINECALLINFO fields dwAddressID, dwCallID and
 * dwRelatedCallID without the variable part (docs/calls.md "The call
 * model"). Any handle privilege suffices. Microsoft's tapi.h has no such
 * function (only the service-provider TSPI_lineGetCallIDs, whose shape this
 * takes); a portable program calls lineGetCallInfo. Returns 0,
 * LINEERR_INVALCALLHANDLE or LINEERR_INVALPOINTER (any pointer NULL). */
LONG WINAPI lineGetCallIDs(HCALL hCall, LPDWORD lpdwAddressID, LPDWORD lpdwCallID, LPDWORD lpdwRelatedCallID);

/* Where an unanswered LINEPROXYREQUEST came from, for a proxy that keeps
 * its changes durably (docs/ha.md "Requests in flight exactly once"): the
 * requesting application's instance (16 bytes it chose at lineInitializeEx,
 * the same after it reconnects) and the request's origin ID (unique per
 * instance; a request the library sends again after a reconnect carries the
 * same one). A request that is sent again may reach a proxy that already
 * applied it: the proxy answers it with the result it stored. *lpdwInstanceSize
 * gets the instance's length (0 and an origin ID of 0 when the client gave
 * none); lpInstance must hold dwInstanceBufferSize bytes, at least 16.
 * Returns 0, LINEERR_INVALLINEHANDLE (hLine not a line of this process, or
 * not the line the request was delivered on), LINEERR_INVALPOINTER (a NULL
 * pointer, a buffer too small, a request not issued or already answered). */
LONG WINAPI opentapi_proxy_request_origin(HLINE hLine, LPLINEPROXYREQUEST lpProxyRequest, LPBYTE lpInstance,
                                          DWORD dwInstanceBufferSize, LPDWORD lpdwInstanceSize,
                                          unsigned long long* lpOriginID);

/* lineProxyMessage for a message that announces a durable change: the
 * same checks and results, and the change's event-log seq (gap-free,
 * increasing) travels with the message, so that a client that loses its
 * connection gets the messages it missed replayed when it reopens its line,
 * and none twice (docs/ha.md "Status messages replayed"). A proxy sends its
 * messages with seqs in increasing order; 0 is a message tied to no change
 * (as lineProxyMessage sends). */
LONG WINAPI opentapi_proxy_message_seq(HLINE hLine, HCALL hCall, DWORD dwMsg, DWORD dwParam1, DWORD dwParam2,
                                       DWORD dwParam3, unsigned long long ulEventSeq);

/* Proxy answers written together. Between opentapi_begin_send_batch() and
 * opentapi_end_send_batch() on one thread, what lineProxyResponse and
 * lineProxyMessage send is checked and accepted as usual (their return
 * values are those of an unbatched call) but held, per connection, and
 * written with one write per connection when the batch ends: a proxy
 * answering many requests at once pays one system call for them instead of
 * one per message, and so does opentapid reading them. Any other function
 * this thread calls on a connection with held messages writes them first, so
 * this thread's messages keep their order; messages that other threads send
 * meanwhile may leave before the held ones. Batches nest; the outermost end
 * writes. At most 64 KiB are held per connection (more are written at
 * once). opentapi_end_send_batch returns 0, or LINEERR_OPERATIONFAILED if a
 * connection could not be written (lost or shut down since; the held
 * messages of that connection are lost, as an unbatched call would have
 * failed). A thread must end every batch it begins. */
void opentapi_begin_send_batch(void);
LONG opentapi_end_send_batch(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPENTAPI_OPENTAPI_EXT_H */

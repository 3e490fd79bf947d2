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

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPENTAPI_OPENTAPI_EXT_H */

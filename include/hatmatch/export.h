/* Copyright 2026 The hatmatch Authors.
 *
 * export.h: HATMATCH_EXPORT marks what libhatmatch.so exports.
 *
 * The library is compiled with -fvisibility=hidden, so a symbol is visible
 * outside it only when its declaration carries HATMATCH_EXPORT: the C API
 * (hatmatch.h) and the C++ API classes and functions of the installed
 * headers.  A version script (engine/capi/libhatmatch.map) then admits only
 * hatmatch_* C symbols and hatmatch:: C++ symbols.  Plain C; included by
 * the C header too.
 */

#ifndef HATMATCH_EXPORT_H_
#define HATMATCH_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define HATMATCH_EXPORT __attribute__((visibility("default")))
/* For what an exported class declares but keeps to itself (Table::Impl). */
#define HATMATCH_INTERNAL __attribute__((visibility("hidden")))
#else
#define HATMATCH_EXPORT
#define HATMATCH_INTERNAL
#endif

#endif /* HATMATCH_EXPORT_H_ */

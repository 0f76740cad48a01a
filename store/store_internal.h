/*
 * store/store_internal.h - shared between the store's own modules only.
 */
#ifndef MCT_STORE_INTERNAL_H
#define MCT_STORE_INTERNAL_H

#include "store.h"

int mct_schema_latest(void);
const char *mct_schema_migration(int version);

/* zstd helpers: compress into out (codec "zstd"), or decompress a blob of
 * the given codec into out (NUL-terminated). */
mct_status mct_store_pack(const void *data, size_t n, mct_buf *out, mct_err *err);
mct_status mct_store_unpack(const char *codec, const void *blob, size_t blob_len, size_t size,
                            mct_buf *out, mct_err *err);

/* Bind a possibly NULL string. */
int mct_bind_text(sqlite3_stmt *s, int i, const char *v);

#endif

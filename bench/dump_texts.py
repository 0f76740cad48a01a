#!/usr/bin/python3
"""bench/dump_texts.py - write every stored text of an mcthermo database to
its own file, for ripgrep to search the very bytes mcthermo's rules saw.

Texts are zstd-compressed in the texts table; Python's standard library has
no zstd, so this calls ZSTD_decompress from libzstd.so.1 (installed with
mcthermo's own dependencies) through ctypes.  Files are named by sha256 and
spread over 16 sub-folders.  Prints the number of files and bytes as JSON.

Usage: dump_texts.py DB OUTDIR
"""

import ctypes
import ctypes.util
import json
import os
import sqlite3
import sys


def main():
    db, out = sys.argv[1], sys.argv[2]
    lib = ctypes.CDLL(ctypes.util.find_library("zstd") or "libzstd.so.1")
    lib.ZSTD_decompress.restype = ctypes.c_size_t
    lib.ZSTD_decompress.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
                                    ctypes.c_size_t]
    lib.ZSTD_isError.restype = ctypes.c_uint
    lib.ZSTD_isError.argtypes = [ctypes.c_size_t]
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    files = total = 0
    for sub in range(16):
        os.makedirs(os.path.join(out, "%x" % sub), exist_ok=True)
    for sha, codec, size, data in con.execute("SELECT sha256, codec, size, data FROM texts"):
        if codec == "zstd":
            buf = ctypes.create_string_buffer(size)
            n = lib.ZSTD_decompress(buf, size, data, len(data))
            if lib.ZSTD_isError(n) or n != size:
                sys.exit("dump_texts: damaged text %s" % sha)
            raw = buf.raw[:n]
        else:
            raw = bytes(data)
        with open(os.path.join(out, sha[0], sha + ".txt"), "wb") as f:
            f.write(raw)
        files += 1
        total += len(raw)
    print(json.dumps({"files": files, "bytes": total}))


if __name__ == "__main__":
    main()

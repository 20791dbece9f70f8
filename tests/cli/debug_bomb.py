#!/usr/bin/env python3
"""debug_bomb.py IN OUT SECTION MIB [truncate]: a decompression bomb.

Copies the ELF file IN (64-bit, little-endian) to OUT with SECTION's
contents replaced by a zlib-compressed (SHF_COMPRESSED) section that
inflates to MIB MiB of zeros: a few hundred MiB fit in well under 1 MiB.
With "truncate", the compressed stream is cut in half: a bogus section
whose inflation fails after doing half the work. Nothing of MIB is ever
held in memory here: the stream is made chunk by chunk.
"""
import struct
import sys
import zlib

SHF_COMPRESSED = 0x800
ELFCOMPRESS_ZLIB = 1


def main():
    src, dst, name, mib = sys.argv[1], sys.argv[2], sys.argv[3].encode(), int(sys.argv[4])
    truncate = len(sys.argv) > 5 and sys.argv[5] == "truncate"
    data = bytearray(open(src, "rb").read())
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("%s: not a 64-bit little-endian ELF file" % src)
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

    def shdr(i):
        return list(struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize))

    strtab = shdr(shstrndx)
    names = data[strtab[4]:strtab[4] + strtab[5]]
    for i in range(shnum):
        sh = shdr(i)
        if names[sh[0]:names.index(b"\0", sh[0])] == name:
            break
    else:
        sys.exit("%s: no section %s" % (src, name.decode()))

    size = mib << 20
    z = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    stream = b"".join(z.compress(chunk) for _ in range(mib)) + z.flush()
    if truncate:
        stream = stream[: len(stream) // 2]
    # Elf64_Chdr: ch_type, ch_reserved, ch_size, ch_addralign.
    blob = struct.pack("<IIQQ", ELFCOMPRESS_ZLIB, 0, size, 1) + stream
    data += bytes(-len(data) % 8)
    sh[4] = len(data)  # sh_offset: appended at the end
    sh[5] = len(blob)  # sh_size
    sh[2] |= SHF_COMPRESSED
    sh[1] = 1  # SHT_PROGBITS
    sh[8] = 8  # sh_addralign, as for a Chdr
    struct.pack_into("<IIQQQQIIQQ", data, shoff + i * shentsize, *sh)
    data += blob
    open(dst, "wb").write(data)


main()

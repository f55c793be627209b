#!/usr/bin/env python3
"""sstrip.py FILE: drops an ELF64 executable's section header table and what
only it names (.comment, .shstrtab), as ELFkickers' sstrip and buildroot's
BR2_STRIP_sstrip do for embedded images.  The kernel's ELF loader and the
dynamic linker read program headers only, so the file runs as before; what
is lost is what `strip -s` already left little of (readelf -S, objdump -d).
Refuses anything it does not understand and then leaves the file alone."""
import struct
import sys


def fail(path, what):
    sys.exit(f"sstrip.py: {path}: {what}; the file is left as it was")


def end_of_segments(path, data, fmt):
    """The first byte no program header (nor the ELF header) covers."""
    phoff, = struct.unpack_from(fmt + "Q", data, 0x20)
    phentsize, phnum = struct.unpack_from(fmt + "HH", data, 0x36)
    if phnum == 0 or phentsize < 56 or phoff + phnum * phentsize > len(data):
        fail(path, "program headers missing or past the end of the file")
    end = max(64, phoff + phnum * phentsize)
    for i in range(phnum):
        off, = struct.unpack_from(fmt + "Q", data, phoff + i * phentsize + 0x08)
        filesz, = struct.unpack_from(fmt + "Q", data, phoff + i * phentsize + 0x20)
        if off + filesz > len(data):
            fail(path, f"program header {i} runs past the end of the file")
        end = max(end, off + filesz)
    return end


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: sstrip.py FILE")
    path = sys.argv[1]
    data = bytearray(open(path, "rb").read())
    if len(data) < 64 or data[:4] != b"\x7fELF" or data[4] != 2 or data[5] not in (1, 2):
        fail(path, "not an ELF64 file")
    fmt = "<" if data[5] == 1 else ">"
    e_type, = struct.unpack_from(fmt + "H", data, 0x10)
    if e_type != 2:
        fail(path, f"e_type {e_type} is not an executable (ET_EXEC)")
    end = end_of_segments(path, data, fmt)
    struct.pack_into(fmt + "Q", data, 0x28, 0)           # e_shoff
    struct.pack_into(fmt + "HHH", data, 0x3A, 0, 0, 0)   # e_shentsize, e_shnum, e_shstrndx
    open(path, "wb").write(data[:end])


main()

"""Passphrase encryption of backup archives, streamed in chunks (``cryptography``: scrypt + AES-256-GCM).

The layout is the STREAM construction (as in age): the archive is cut into 64 KiB chunks, each sealed with
AES-GCM under a nonce made of a random prefix, the chunk counter and a "last chunk" flag. Reordering,
dropping or truncating chunks therefore fails authentication, and a multi-gigabyte archive never sits in
memory. Header: magic, scrypt parameters and salt, nonce prefix; the header is authenticated with every chunk.
"""

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from pilar.core.errors import DomainError

MAGIC = b"PILAR-BACKUP-ENC1\n"
CHUNK = 64 * 1024
TAG = 16
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 16, 8, 1  # 64 MiB of memory: costly to guess, cheap for one restore
HEADER = struct.Struct(">BBB16s7s")  # log2 N, r, p, salt, nonce prefix


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    if not passphrase:
        raise DomainError("Frasa sandi cadangan kosong.")
    return Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: plaintext in, the encrypted stream out to ``sink``."""

    def __init__(self, sink: BinaryIO, passphrase: str) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        self._header = MAGIC + HEADER.pack(SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt, prefix)
        self._aead = AESGCM(_key(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P))
        self._sink, self._prefix, self._counter, self._buffer = sink, prefix, 0, bytearray()
        sink.write(self._header)

    def _seal(self, data: bytes, last: bool) -> None:
        self._sink.write(self._aead.encrypt(_nonce(self._prefix, self._counter, last), data, self._header))
        self._counter += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as last, and only close() knows which it is.
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def close(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


class DecryptingReader:
    """A read-only file object over an encrypted stream; raises DomainError on a wrong passphrase or tampering."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        magic = source.read(len(MAGIC))
        if magic != MAGIC:
            raise DomainError("Berkas ini bukan arsip cadangan Pilar yang terenkripsi.")
        raw = source.read(HEADER.size)
        log_n, r, p, salt, prefix = HEADER.unpack(raw)
        self._header = magic + raw
        self._aead = AESGCM(_key(passphrase, salt, log_n, r, p))
        self._source, self._prefix, self._counter = source, prefix, 0
        self._next = source.read(CHUNK + TAG)
        self._plain, self._done = b"", False

    def _open_next(self) -> None:
        sealed, self._next = self._next, self._source.read(CHUNK + TAG)
        last = not self._next
        try:
            self._plain += self._aead.decrypt(_nonce(self._prefix, self._counter, last), sealed, self._header)
        except InvalidTag as exc:
            raise DomainError("Frasa sandi salah, atau arsip cadangan rusak/terpotong.") from exc
        self._counter += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._plain) < size):
            self._open_next()
        if size < 0:
            size = len(self._plain)
        out, self._plain = self._plain[:size], self._plain[size:]
        return out

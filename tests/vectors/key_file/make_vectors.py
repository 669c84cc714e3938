#!/usr/bin/python3
"""Key file format v1 test vectors, computed independently of Arca's TypeScript code.

Written from the format's text only (docs/users.md, "Key file format (version 1)"; the issue 11
contract, section 1), with Debian's python3-nacl (libsodium: Argon2id, XChaCha20-Poly1305-IETF)
and python3-cryptography (OpenSSL: PBKDF2-HMAC-SHA384, AES-256-GCM) plus hashlib/hmac.

    /usr/bin/python3 tests/vectors/key_file/make_vectors.py            # regenerate + self-check
    /usr/bin/python3 tests/vectors/key_file/make_vectors.py --check    # self-check the JSON only

Every input is fixed (repeated-byte salts and nonces), so reruns give a byte-identical file.
"""

import hashlib
import hmac
import json
import struct
import sys
import unicodedata
from pathlib import Path

import cryptography
import nacl
import nacl.bindings as sodium
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

OUT = Path(__file__).with_name("key_file_vectors.json")

MAGIC = b"ARCAKF"
VERSION = 1
SUITES = {"Sodium": 0x01, "NIST": 0x02}
NONCE_BYTES = {"Sodium": 24, "NIST": 12}
TAG_BYTES = 16
HEADER_BYTES = 48
BODY_AD = b"arca key file body"
RESCUE_AD = b"arca key file rescue"
RESCUE_KEY_LABEL = b"arca key file rescue key"
PROOF_LABEL = b"arca key file passphrase proof"
BOUNDS = {
    "Sodium": ((1, 10), (8192, 1073741824)),
    "NIST": ((1, 10000000), (0, 0)),
}


class Malformed(Exception):
    """The key file is malformed or does not authenticate (Arca: IntegrityError)."""


def secret_bytes(text):
    return unicodedata.normalize("NFC", text).encode("utf-8")


def kdf(suite, secret, salt, cost_a, cost_b):
    if suite == "Sodium":
        return sodium.crypto_pwhash_alg(
            32, secret, salt, cost_a, cost_b, sodium.crypto_pwhash_ALG_ARGON2ID13
        )
    return PBKDF2HMAC(hashes.SHA384(), 32, salt, cost_a).derive(secret)


def aead_seal(suite, key, nonce, plaintext, ad):
    if suite == "Sodium":
        return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, nonce, key)
    return AESGCM(key).encrypt(nonce, plaintext, ad)


def aead_open(suite, key, nonce, sealed, ad):
    try:
        if suite == "Sodium":
            return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, ad, nonce, key)
        return AESGCM(key).decrypt(nonce, sealed, ad)
    except Exception as error:  # nacl CryptoError, cryptography InvalidTag
        raise Malformed("AEAD failure") from error


def header_bytes(suite_code, cost_a, cost_b, password_salt, passphrase_salt, version=VERSION,
                 magic=MAGIC):
    return (magic + bytes([version, suite_code]) + struct.pack(">II", cost_a, cost_b)
            + password_salt + passphrase_salt)


def passphrase_keys(master):
    rescue_key = hmac.new(master, RESCUE_KEY_LABEL, hashlib.sha256).digest()
    proof = hmac.new(master, PROOF_LABEL, hashlib.sha256).digest()
    return rescue_key, proof


def seal(case):
    suite = case["suite"]
    cost_a, cost_b = costs(case)
    password_salt = bytes.fromhex(case["password_salt_hex"])
    passphrase_salt = bytes.fromhex(case["passphrase_salt_hex"])
    body_nonce = bytes.fromhex(case["body_nonce_hex"])
    rescue_nonce = bytes.fromhex(case["rescue_nonce_hex"])
    header = header_bytes(SUITES[suite], cost_a, cost_b, password_salt, passphrase_salt)
    password = secret_bytes(case["password"])
    passphrase = secret_bytes(case["passphrase"])
    password_key = kdf(suite, password, password_salt, cost_a, cost_b)
    master = kdf(suite, passphrase, passphrase_salt, cost_a, cost_b)
    rescue_key, proof = passphrase_keys(master)
    body = aead_seal(suite, password_key, body_nonce, case["credentials"].encode("utf-8"),
                     header + BODY_AD)
    rescue = aead_seal(suite, rescue_key, rescue_nonce, password, header + RESCUE_AD)
    key_file = header + struct.pack(">I", len(body)) + body_nonce + body + rescue_nonce + rescue
    return {
        "header_hex": header.hex(),
        "password_key_hex": password_key.hex(),
        "passphrase_master_hex": master.hex(),
        "rescue_key_hex": rescue_key.hex(),
        "proof_hex": proof.hex(),
        "verifier_hex": hashlib.sha256(proof).hexdigest(),
        "key_file_hex": key_file.hex(),
        "checksum": hashlib.sha256(key_file).hexdigest(),
    }


def costs(case):
    kdf_params = case["kdf"]
    if case["suite"] == "Sodium":
        return kdf_params["opslimit"], kdf_params["memlimit"]
    return kdf_params["iterations"], 0


# --- an independent reader, used to self-check the negative cases -------------------------------

def parse(key_file):
    if len(key_file) < HEADER_BYTES:
        raise Malformed("short header")
    if key_file[0:6] != MAGIC:
        raise Malformed("bad magic")
    if key_file[6] != VERSION:
        raise Malformed("bad version")
    suite = {code: name for name, code in SUITES.items()}.get(key_file[7])
    if suite is None:
        raise Malformed("unknown suite")
    cost_a, cost_b = struct.unpack(">II", key_file[8:16])
    (a_min, a_max), (b_min, b_max) = BOUNDS[suite]
    if not (a_min <= cost_a <= a_max and b_min <= cost_b <= b_max):
        raise Malformed("cost out of bounds")
    n = NONCE_BYTES[suite]
    if len(key_file) < HEADER_BYTES + 4 + n:
        raise Malformed("truncated")
    (length,) = struct.unpack(">I", key_file[48:52])
    body_start = HEADER_BYTES + 4 + n
    rescue_start = body_start + length + n
    if length < TAG_BYTES or len(key_file) < rescue_start + TAG_BYTES:
        raise Malformed("bad lengths")
    return {
        "suite": suite, "cost_a": cost_a, "cost_b": cost_b, "header": key_file[:HEADER_BYTES],
        "password_salt": key_file[16:32], "passphrase_salt": key_file[32:48],
        "body_nonce": key_file[body_start - n:body_start],
        "body": key_file[body_start:body_start + length],
        "rescue_nonce": key_file[rescue_start - n:rescue_start], "rescue": key_file[rescue_start:],
    }


def open_body(key_file, password):
    p = parse(key_file)
    key = kdf(p["suite"], secret_bytes(password), p["password_salt"], p["cost_a"], p["cost_b"])
    return aead_open(p["suite"], key, p["body_nonce"], p["body"], p["header"] + BODY_AD)


def recover(key_file, passphrase):
    p = parse(key_file)
    master = kdf(p["suite"], secret_bytes(passphrase), p["passphrase_salt"], p["cost_a"],
                 p["cost_b"])
    rescue_key, _ = passphrase_keys(master)
    return aead_open(p["suite"], rescue_key, p["rescue_nonce"], p["rescue"],
                     p["header"] + RESCUE_AD)


def fails(operation):
    try:
        operation()
    except Malformed:
        return True
    return False


# --- the cases ----------------------------------------------------------------------------------

def credentials(suite, n):
    fields = {
        "version": "2", "client_id": f"00000000-0000-4000-8000-0000000000{n:02x}",
        "api_key_id": f"{n:02x}" * 32, "api_secret": f"{n + 1:02x}" * 32,
        "client_email": "", "public_key": "cHVibGlj", "private_key": "cHJpdmF0ZQ",
        "public_signing_key": "c2lnbg", "private_signing_key": "c2lnbiBwcml2YXRl",
        "api_url": "http://127.0.0.1:8000",
    }
    if suite == "NIST":
        fields["crypto_suite"] = "NIST"
    return json.dumps(fields, separators=(",", ":"))


def positive(case_id, description, suite, kdf_params, password, passphrase, n, nfd=False):
    nonce = NONCE_BYTES[suite]
    case = {
        "id": case_id, "description": description, "suite": suite, "kdf": kdf_params,
        "password": password, "passphrase": passphrase, "credentials": credentials(suite, n),
        "password_salt_hex": bytes([0x10 + n]).hex() * 16,
        "passphrase_salt_hex": bytes([0x20 + n]).hex() * 16,
        "body_nonce_hex": bytes([0x30 + n]).hex() * nonce,
        "rescue_nonce_hex": bytes([0x40 + n]).hex() * nonce,
        "salt_and_nonce_rule": f"password salt 16 x 0x{0x10 + n:02x}, passphrase salt 16 x "
        f"0x{0x20 + n:02x}, body nonce {nonce} x 0x{0x30 + n:02x}, rescue nonce {nonce} x "
        f"0x{0x40 + n:02x}",
    }
    if nfd:
        case["password_nfd"] = unicodedata.normalize("NFD", password)
        case["passphrase_nfd"] = unicodedata.normalize("NFD", passphrase)
    case.update(seal(case))
    return case


def flip(data, offset):
    out = bytearray(data)
    out[offset] ^= 0x01
    return bytes(out)


def with_cost(key_file, cost_a, cost_b):
    return key_file[:8] + struct.pack(">II", cost_a, cost_b) + key_file[16:]


def negatives(base):
    key_file = bytes.fromhex(base["key_file_hex"])
    suite = base["suite"]
    n = NONCE_BYTES[suite]
    (length,) = struct.unpack(">I", key_file[48:52])
    body_at = HEADER_BYTES + 4 + n
    rescue_at = body_at + length + n
    good_password, good_passphrase = base["password"], base["passphrase"]
    cost_byte, cost_name = (14, "memlimit") if suite == "Sodium" else (11, "iterations")
    cases = [
        ("wrong-password", "the password of another user", key_file, "Wrong-password-1",
         good_passphrase, ["open"]),
        ("wrong-passphrase", "a passphrase that is not this key file's", key_file, good_password,
         "wrong passphrase here", ["recover"]),
        ("flipped-header-salt", "bit 0 of header byte 20 (password salt) flipped: the header is "
         "associated data of both parts", flip(key_file, 20), good_password, good_passphrase,
         ["open", "recover"]),
        ("flipped-header-cost", f"bit 0 of header byte {cost_byte} ({cost_name}) flipped, "
         "still within bounds", flip(key_file, cost_byte), good_password, good_passphrase, ["open", "recover"]),
        ("flipped-body-nonce", "bit 0 of the body nonce's first byte flipped",
         flip(key_file, HEADER_BYTES + 4), good_password, good_passphrase, ["open"]),
        ("flipped-body", "bit 0 of the body's first byte flipped", flip(key_file, body_at),
         good_password, good_passphrase, ["open"]),
        ("flipped-body-tag", "bit 0 of the body tag's last byte flipped",
         flip(key_file, body_at + length - 1), good_password, good_passphrase, ["open"]),
        ("flipped-rescue", "bit 0 of the rescue's first byte flipped", flip(key_file, rescue_at),
         good_password, good_passphrase, ["recover"]),
        ("flipped-rescue-tag", "bit 0 of the key file's last byte (rescue tag) flipped",
         flip(key_file, len(key_file) - 1), good_password, good_passphrase, ["recover"]),
        ("truncated-last-byte", "the last byte removed (rescue tag cut)", key_file[:-1],
         good_password, good_passphrase, ["recover"]),
        ("truncated-in-body", "cut 10 bytes into the body: lengths no longer fit",
         key_file[:body_at + 10], good_password, good_passphrase, ["parse", "open", "recover"]),
        ("truncated-header", "only the first 40 bytes", key_file[:40], good_password,
         good_passphrase, ["parse", "open", "recover"]),
        ("empty", "zero bytes", b"", good_password, good_passphrase,
         ["parse", "open", "recover"]),
        ("body-length-plus-one", "the body length field one more than the body: the framing "
         "still fits, both parts fail to authenticate",
         key_file[:48] + struct.pack(">I", length + 1) + key_file[52:], good_password,
         good_passphrase, ["open", "recover"]),
        ("body-length-beyond-file", "the body length field larger than the whole file",
         key_file[:48] + struct.pack(">I", len(key_file)) + key_file[52:], good_password,
         good_passphrase, ["parse", "open", "recover"]),
        ("body-length-max", "the body length field 0xffffffff",
         key_file[:48] + struct.pack(">I", 0xFFFFFFFF) + key_file[52:], good_password,
         good_passphrase, ["parse", "open", "recover"]),
        ("body-length-below-tag", "a body length of 15, shorter than a tag",
         key_file[:48] + struct.pack(">I", 15) + key_file[52:], good_password, good_passphrase,
         ["parse", "open", "recover"]),
        ("bad-magic", "magic ARCAKG", b"ARCAKG" + key_file[6:], good_password, good_passphrase,
         ["parse", "open", "recover"]),
        ("bad-version", "format version 2", key_file[:6] + b"\x02" + key_file[7:], good_password,
         good_passphrase, ["parse", "open", "recover"]),
        ("version-zero", "format version 0", key_file[:6] + b"\x00" + key_file[7:],
         good_password, good_passphrase, ["parse", "open", "recover"]),
        ("unknown-suite", "suite byte 0x03", key_file[:7] + b"\x03" + key_file[8:],
         good_password, good_passphrase, ["parse", "open", "recover"]),
        ("suite-zero", "suite byte 0x00", key_file[:7] + b"\x00" + key_file[8:], good_password,
         good_passphrase, ["parse", "open", "recover"]),
    ]
    if suite == "Sodium":
        bounds = [
            ("opslimit-zero", "Argon2id opslimit 0", 0, base["kdf"]["memlimit"]),
            ("opslimit-11", "Argon2id opslimit 11", 11, base["kdf"]["memlimit"]),
            ("memlimit-8191", "Argon2id memlimit 8191 bytes", 1, 8191),
            ("memlimit-over-1gib", "Argon2id memlimit 1 GiB + 1", 1, 1073741825),
        ]
    else:
        bounds = [
            ("iterations-zero", "PBKDF2 iterations 0", 0, 0),
            ("iterations-over-10m", "PBKDF2 iterations 10,000,001", 10000001, 0),
            ("nist-cost-b-nonzero", "PBKDF2 cost b 1 (must be 0)", 1000, 1),
        ]
    for case_id, description, cost_a, cost_b in bounds:
        cases.append((case_id, f"out-of-bounds cost: {description}",
                      with_cost(key_file, cost_a, cost_b), good_password, good_passphrase,
                      ["parse", "open", "recover"]))
    prefix = base["id"]
    return [{
        "id": f"{prefix}/{case_id}", "based_on": prefix, "description": description,
        "suite": suite, "kdf": base["kdf"], "key_file_hex": data.hex(), "password": password,
        "passphrase": passphrase, "must_fail": must_fail,
    } for case_id, description, data, password, passphrase, must_fail in cases]


def build():
    e_acute = "\u00e9"
    positives = [
        positive("sodium-ops1", "Sodium, Argon2id ops 1 / 8 MiB, ASCII secrets", "Sodium",
                 {"opslimit": 1, "memlimit": 8388608}, "Correct-Horse-1",
                 "battery staple passphrase", 1),
        positive("sodium-ops2-nfc", "Sodium, Argon2id ops 2 / 8 MiB, non-ASCII secrets (NFC)",
                 "Sodium", {"opslimit": 2, "memlimit": 8388608}, f"Caf{e_acute}-Pass-2",
                 "cr\u00e8me br\u00fbl\u00e9e \u2603 passphrase", 2,
                 nfd=True),
        positive("nist-1000", "NIST, PBKDF2-HMAC-SHA384 1000 iterations, ASCII secrets", "NIST",
                 {"iterations": 1000}, "Correct-Horse-3", "battery staple passphrase", 3),
        positive("nist-1000-nfc", "NIST, PBKDF2-HMAC-SHA384 1000 iterations, non-ASCII (NFC)",
                 "NIST", {"iterations": 1000}, f"Caf{e_acute}-Pass-4",
                 "\u00c5ngstr\u00f6m \u65e5\u672c passphrase", 4,
                 nfd=True),
    ]
    negative_cases = [n for p in (positives[0], positives[2]) for n in negatives(p)]
    return {
        "format": "Arca key file, format version 1 (docs/users.md, Key file format)",
        "computed_with": {
            "python": sys.version.split()[0],
            "pynacl": nacl.__version__,
            "libsodium": "1.0.18 (Debian 12 libsodium23, under PyNaCl)",
            "cryptography": cryptography.__version__,
        },
        "conventions": "hex is lower-case; secrets are JSON strings, NFC-normalised then UTF-8 "
        "before the KDF; *_nfd are other Unicode forms of the same secrets that must open the "
        "file too; must_fail lists the operations that must raise IntegrityError: parse (the "
        "48-byte header or the framing alone), open (with password), recover (with passphrase). "
        "Open and recover with a minimum cost equal to the case's kdf.",
        "positive": positives,
        "negative": negative_cases,
    }


def self_check(vectors):
    for case in vectors["positive"]:
        again = seal(case)
        for key, value in again.items():
            assert case[key] == value, (case["id"], key)
        key_file = bytes.fromhex(case["key_file_hex"])
        assert open_body(key_file, case["password"]).decode() == case["credentials"]
        assert recover(key_file, case["passphrase"]).decode() == unicodedata.normalize(
            "NFC", case["password"])
        if "password_nfd" in case:
            assert case["password_nfd"] != case["password"]
            assert unicodedata.normalize("NFC", case["password_nfd"]) == case["password"]
            assert unicodedata.normalize("NFC", case["passphrase_nfd"]) == case["passphrase"]
            assert open_body(key_file, case["password_nfd"]).decode() == case["credentials"]
            assert recover(key_file, case["passphrase_nfd"]).decode() == case["password"]
    for case in vectors["negative"]:
        key_file = bytes.fromhex(case["key_file_hex"])
        outcomes = {
            "parse": fails(lambda: parse(key_file)),
            "open": fails(lambda: open_body(key_file, case["password"])),
            "recover": fails(lambda: recover(key_file, case["passphrase"])),
        }
        expected = {op: op in case["must_fail"] for op in outcomes}
        assert outcomes == expected, (case["id"], outcomes)


def main():
    if "--check" in sys.argv:
        vectors = json.loads(OUT.read_text(encoding="utf-8"))
    else:
        vectors = build()
        OUT.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    self_check(vectors)
    print(f"{OUT.name}: {len(vectors['positive'])} positive, {len(vectors['negative'])} negative,"
          " self-check ok")


if __name__ == "__main__":
    main()

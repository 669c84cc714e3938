#!/usr/bin/python3
"""Builds the key material and one pre-encrypted record of an E3DB Python client in NIST mode.

E3DB's Python SDK with CRYPTO_SUITE=NIST registers a P-384 `public_key` (base64url of PEM text,
spec e3db-wire.md §3.8) together with an Ed25519 signing key (base64url of raw bytes, §2.1: it signs
TSV1 requests with Ed25519, as NistCrypto has no signing). This script writes
`e3db_nist_client.json` with:

* `keys`: the credential-file key fields exactly as Python's Config.write stores them
  (`public_key`, `private_key`, `public_signing_key`, `private_signing_key`); the test registers
  them (§2.1) and adds client_id / api_key_id / api_secret / api_url from the server's reply;
* `record`: a record of type `python-nist` with one field, encrypted as §3.3/§3.8 describe
  (edk.edkN.ef.efN with AES-256-GCM), and `self_eak`, the access key wrapped by the client to
  itself (ECDH P-384 + HKDF-SHA384 + AES-256-GCM, `ct.nonce`).

Fixed inputs make the output byte-identical on every run. Debian 12 packages only:
  apt-get install -y python3-nacl python3-cryptography
  /usr/bin/python3 tests/vectors/e3db_nist_client/make_e3db_nist_client.py
"""
import base64
import json
import os

import nacl.signing
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# Fixed inputs (synthetic).
P384_SCALAR = int.from_bytes(bytes([0x2B]) * 48, "big")  # below the curve order
ED25519_SEED = bytes([0x3C]) * 32
ACCESS_KEY = bytes([0x4D]) * 32
DATA_KEY = bytes([0x5E]) * 32
EDK_NONCE = bytes([0x01]) * 12
EF_NONCE = bytes([0x02]) * 12
EAK_NONCE = bytes([0x03]) * 12
FIELD_NAME = "motto"
FIELD_VALUE = "Winter is coming"

private_key = ec.derive_private_key(P384_SCALAR, ec.SECP384R1())
public_pem = private_key.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)
private_pem = private_key.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
signing = nacl.signing.SigningKey(ED25519_SEED)
public_signing = bytes(signing.verify_key)
private_signing = ED25519_SEED + public_signing  # libsodium's 64-byte secret key

# §3.3 field: edk = AES-GCM(AK, edkN, dk), ef = AES-GCM(dk, efN, value).
edk = AESGCM(ACCESS_KEY).encrypt(EDK_NONCE, DATA_KEY, None)
ef = AESGCM(DATA_KEY).encrypt(EF_NONCE, FIELD_VALUE.encode(), None)
field = ".".join(b64url(part) for part in (edk, EDK_NONCE, ef, EF_NONCE))

# §3.4/§3.8 EAK to itself: key = HKDF-SHA384(ECDH(d, Q).x, salt=None, info=None, 32).
shared = private_key.exchange(ec.ECDH(), private_key.public_key())
box_key = HKDF(algorithm=hashes.SHA384(), length=32, salt=None, info=None).derive(shared)
eak = b64url(AESGCM(box_key).encrypt(EAK_NONCE, ACCESS_KEY, None)) + "." + b64url(EAK_NONCE)

output = {
    "description": "An E3DB Python client in NIST mode: P-384 encryption keys, Ed25519 signing "
    "keys (spec §2.1, §3.8), and a record it encrypted to itself",
    "generated_by": "tests/vectors/e3db_nist_client/make_e3db_nist_client.py",
    "keys": {
        "public_key": b64url(public_pem),
        "private_key": b64url(private_pem),
        "public_signing_key": b64url(public_signing),
        "private_signing_key": b64url(private_signing),
    },
    "registration_client": {
        "public_key": {"p384": b64url(public_pem)},
        "signing_key": {"ed25519": b64url(public_signing)},
    },
    "record": {
        "type": "python-nist",
        "plain": {"house": "Stark"},
        "data": {FIELD_NAME: field},
        "clear_data": {FIELD_NAME: FIELD_VALUE},
        "self_eak": eak,
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "e3db_nist_client.json")
with open(path, "w") as out:
    json.dump(output, out, indent=2)
    out.write("\n")
print(path)

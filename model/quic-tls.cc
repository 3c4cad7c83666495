/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-tls.h"

#include "quic-buffer.h"

#include "ns3/log.h"

#include <algorithm>
#include <bitset>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sstream>
#include <tuple>

namespace
{

/// Context strings of CertificateVerify (RFC 8446 §4.4.3).
const char* const SERVER_CV_CONTEXT = "TLS 1.3, server CertificateVerify";
/// \copydoc SERVER_CV_CONTEXT
const char* const CLIENT_CV_CONTEXT = "TLS 1.3, client CertificateVerify";

/// ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
const uint8_t HRR_RANDOM[32] = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/// Length of a regular padding subjectAltName (2 bytes of DER header + 62 characters).
constexpr size_t SAN_PAD_NAME_LENGTH = 62;
/// Shortest padding name: "p000000." + one character + ".invalid".
constexpr size_t SAN_PAD_MIN_NAME_LENGTH = 17;
/// Certificate name used when none is configured.
const char* const DEFAULT_CERT_NAME = "quic-migration.ns3";
/// Largest certificate the generator makes (keeps the Certificate message < 64 KiB).
constexpr size_t MAX_CERT_SIZE = 60000;
/// Bound on the certificate cache.
constexpr size_t MAX_CERT_CACHE_ENTRIES = 64;

/// Lower-case hex of a byte range.
std::string
Hex(const uint8_t* p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (size_t i = 0; i < n; ++i)
    {
        s.push_back(digits[p[i] >> 4]);
        s.push_back(digits[p[i] & 0x0f]);
    }
    return s;
}

/**
 * Appends a TLS vector: a big-endian length of `bytes` bytes, then the body.
 * Close() writes the length and reports whether it fits.
 */
class LengthPrefix
{
  public:
    LengthPrefix(std::vector<uint8_t>& out, size_t bytes)
        : m_out(out),
          m_bytes(bytes),
          m_start(out.size())
    {
        out.resize(out.size() + bytes, 0);
    }

    bool Close()
    {
        size_t len = m_out.size() - m_start - m_bytes;
        if (len >= (static_cast<size_t>(1) << (8 * m_bytes)))
        {
            return false;
        }
        for (size_t i = 0; i < m_bytes; ++i)
        {
            m_out[m_start + i] = static_cast<uint8_t>(len >> (8 * (m_bytes - 1 - i)));
        }
        return true;
    }

  private:
    std::vector<uint8_t>& m_out;
    size_t m_bytes;
    size_t m_start;
};

/// Start a handshake message: msg_type + 24-bit length placeholder.
std::vector<uint8_t>
BeginMessage(ns3::QuicTlsHandshakeType type)
{
    std::vector<uint8_t> out;
    out.reserve(256);
    out.push_back(static_cast<uint8_t>(type));
    out.resize(ns3::QUIC_TLS_HANDSHAKE_HEADER_LENGTH, 0);
    return out;
}

/// Fill in the message length; an empty vector if the body is too long.
std::vector<uint8_t>
EndMessage(std::vector<uint8_t>& out, bool ok)
{
    size_t len = out.size() - ns3::QUIC_TLS_HANDSHAKE_HEADER_LENGTH;
    if (!ok || len >= (1u << 24))
    {
        return {};
    }
    out[1] = static_cast<uint8_t>(len >> 16);
    out[2] = static_cast<uint8_t>(len >> 8);
    out[3] = static_cast<uint8_t>(len);
    return std::move(out);
}

/// Write an extension: type, then its body through `body(out)`.
template <typename F>
bool
WriteExtension(std::vector<uint8_t>& out, ns3::QuicTlsExtensionType type, F body)
{
    ns3::QuicBufferWriter w(out);
    w.WriteU16(static_cast<uint16_t>(type));
    LengthPrefix ext(out, 2);
    bool ok = body(out);
    return ext.Close() && ok;
}

/// Write a vector of uint16 values with a `lenBytes` length prefix.
bool
WriteU16List(std::vector<uint8_t>& out, size_t lenBytes, const std::vector<uint16_t>& values)
{
    LengthPrefix list(out, lenBytes);
    ns3::QuicBufferWriter w(out);
    for (uint16_t v : values)
    {
        w.WriteU16(v);
    }
    return list.Close();
}

/// Read a TLS vector with a `lenBytes` length prefix into a sub-reader.
bool
ReadVector(ns3::QuicBufferReader& r, size_t lenBytes, ns3::QuicBufferReader& sub)
{
    uint64_t len;
    const uint8_t* p;
    if (!r.ReadUintN(lenBytes, len) || !r.ReadSpan(p, static_cast<size_t>(len)))
    {
        return false;
    }
    sub = ns3::QuicBufferReader(p, static_cast<size_t>(len));
    return true;
}

/// Read a vector of uint16 values; the body must be a non-empty even length.
bool
ReadU16List(ns3::QuicBufferReader& r, size_t lenBytes, std::vector<uint16_t>& values)
{
    ns3::QuicBufferReader list(nullptr, 0);
    if (!ReadVector(r, lenBytes, list) || list.Size() < 2 || list.Size() % 2 != 0)
    {
        return false;
    }
    values.clear();
    while (!list.AtEnd())
    {
        uint16_t v = 0;
        if (!list.ReadU16(v))
        {
            return false;
        }
        values.push_back(v);
    }
    return true;
}

/// One extension of an extension block.
struct RawExtension
{
    uint16_t type;
    ns3::QuicBufferReader data;
};

/// Read an extension block; duplicate types give illegal_parameter (RFC 8446 §4.2).
ns3::QuicTlsAlert
ReadExtensions(ns3::QuicBufferReader& r, std::vector<RawExtension>& exts)
{
    ns3::QuicBufferReader block(nullptr, 0);
    if (!ReadVector(r, 2, block))
    {
        return ns3::QuicTlsAlert::DECODE_ERROR;
    }
    std::bitset<65536> seen;
    while (!block.AtEnd())
    {
        uint16_t type;
        ns3::QuicBufferReader data(nullptr, 0);
        if (!block.ReadU16(type) || !ReadVector(block, 2, data))
        {
            return ns3::QuicTlsAlert::DECODE_ERROR;
        }
        if (seen.test(type))
        {
            return ns3::QuicTlsAlert::ILLEGAL_PARAMETER;
        }
        seen.set(type);
        exts.push_back({type, data});
    }
    return ns3::QuicTlsAlert::NO_ALERT;
}

/// Check a message header and return a reader over the body.
ns3::QuicTlsAlert
ReadBody(const uint8_t* data,
         size_t size,
         ns3::QuicTlsHandshakeType expected,
         ns3::QuicBufferReader& body)
{
    uint8_t type;
    uint32_t length;
    if (data == nullptr || !ns3::QuicTlsReadHandshakeHeader(data, size, type, length))
    {
        return ns3::QuicTlsAlert::DECODE_ERROR;
    }
    if (type != static_cast<uint8_t>(expected))
    {
        return ns3::QuicTlsAlert::UNEXPECTED_MESSAGE;
    }
    if (length != size - ns3::QUIC_TLS_HANDSHAKE_HEADER_LENGTH)
    {
        return ns3::QuicTlsAlert::DECODE_ERROR;
    }
    body = ns3::QuicBufferReader(data + ns3::QUIC_TLS_HANDSHAKE_HEADER_LENGTH, length);
    return ns3::QuicTlsAlert::NO_ALERT;
}

/// Copy a reader's remaining bytes.
std::vector<uint8_t>
Rest(const ns3::QuicBufferReader& r)
{
    return std::vector<uint8_t>(r.Current(), r.Current() + r.Remaining());
}

/// An Ed25519 key from its seed (caller frees), or null.
EVP_PKEY*
Ed25519KeyFromSeed(const std::array<uint8_t, ns3::QUIC_TLS_ED25519_SEED_LENGTH>& seed)
{
    return EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size());
}

/// Unique pointers with OpenSSL deleters.
struct OsslFree
{
    void operator()(EVP_PKEY* p) const
    {
        EVP_PKEY_free(p);
    }

    void operator()(EVP_PKEY_CTX* p) const
    {
        EVP_PKEY_CTX_free(p);
    }

    void operator()(EVP_MD_CTX* p) const
    {
        EVP_MD_CTX_free(p);
    }

    void operator()(X509* p) const
    {
        X509_free(p);
    }

    void operator()(BIGNUM* p) const
    {
        BN_free(p);
    }

    void operator()(BASIC_CONSTRAINTS* p) const
    {
        BASIC_CONSTRAINTS_free(p);
    }

    void operator()(GENERAL_NAMES* p) const
    {
        GENERAL_NAMES_free(p);
    }
};

template <typename T>
using Ossl = std::unique_ptr<T, OsslFree>;

/**
 * A padding DNS name of exactly `length` characters (17..127) under the reserved
 * ".invalid" TLD (RFC 6761 §6.4): "p<index>." + labels of 'x' + ".invalid".
 */
std::string
PaddingName(size_t index, size_t length)
{
    char prefix[16];
    std::snprintf(prefix, sizeof(prefix), "p%06zu.", index % 1000000);
    std::string name(prefix);
    const std::string suffix = ".invalid";
    size_t body = length - name.size() - suffix.size();
    for (size_t i = 0; i < body; ++i)
    {
        // Labels of at most 50 characters (RFC 1035 allows 63).
        name.push_back(i % 51 == 50 && i + 1 < body ? '.' : 'x');
    }
    return name + suffix;
}

/**
 * The DNS names that add `padding` bytes of DER to the subjectAltName list:
 * entries of 2 + 62 bytes, the last one up to 63 bytes longer. Fewer than
 * 19 bytes cannot be added (the shortest name is 17 characters): none are.
 */
std::vector<std::string>
PaddingNames(size_t padding)
{
    std::vector<std::string> names;
    const size_t entry = 2 + SAN_PAD_NAME_LENGTH;
    if (padding < 2 + SAN_PAD_MIN_NAME_LENGTH)
    {
        return names;
    }
    size_t count = padding / entry;
    size_t rest = padding % entry;
    if (count == 0)
    {
        names.push_back(PaddingName(0, padding - 2));
        return names;
    }
    for (size_t i = 0; i < count; ++i)
    {
        size_t length = SAN_PAD_NAME_LENGTH + (i + 1 == count ? rest : 0);
        names.push_back(PaddingName(i, length));
    }
    return names;
}

/// Add an extension given as an i2d-able structure; false on failure.
bool
AddExt(X509* x, int nid, void* value, int critical)
{
    return X509_add1_ext_i2d(x, nid, value, critical, X509V3_ADD_DEFAULT) == 1;
}

/// Build and sign one certificate with about `padding` bytes of padding subjectAltNames.
bool
BuildCertificate(EVP_PKEY* key,
                 const std::string& name,
                 const ns3::QuicTlsSecret& serialSource,
                 size_t padding,
                 std::vector<uint8_t>& der)
{
    Ossl<X509> x(X509_new());
    if (!x || X509_set_version(x.get(), 2) != 1)
    {
        return false;
    }
    // Serial: 8 bytes of SHA-256(seed), positive and non-zero.
    uint8_t serial[8];
    std::memcpy(serial, serialSource.data(), sizeof(serial));
    serial[0] = static_cast<uint8_t>((serial[0] & 0x7f) | 0x01);
    Ossl<BIGNUM> bn(BN_bin2bn(serial, sizeof(serial), nullptr));
    if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x.get())) == nullptr)
    {
        return false;
    }
    if (ASN1_TIME_set_string(X509_getm_notBefore(x.get()), "240101000000Z") != 1 ||
        ASN1_TIME_set_string(X509_getm_notAfter(x.get()), "340101000000Z") != 1)
    {
        return false;
    }
    // CN is limited to 64 characters (RFC 5280 ub-common-name).
    std::string cn = name.substr(0, 64);
    X509_NAME* subject = X509_get_subject_name(x.get());
    if (X509_NAME_add_entry_by_txt(subject,
                                   "CN",
                                   MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn.data()),
                                   static_cast<int>(cn.size()),
                                   -1,
                                   0) != 1 ||
        X509_set_issuer_name(x.get(), subject) != 1 || X509_set_pubkey(x.get(), key) != 1)
    {
        return false;
    }

    Ossl<BASIC_CONSTRAINTS> bc(BASIC_CONSTRAINTS_new());
    if (!bc || !AddExt(x.get(), NID_basic_constraints, bc.get(), 1))
    {
        return false;
    }
    ASN1_BIT_STRING* ku = ASN1_BIT_STRING_new();
    bool ok = ku != nullptr && ASN1_BIT_STRING_set_bit(ku, 0, 1) == 1 && // digitalSignature
              AddExt(x.get(), NID_key_usage, ku, 1);
    ASN1_BIT_STRING_free(ku);
    if (!ok)
    {
        return false;
    }
    EXTENDED_KEY_USAGE* eku = sk_ASN1_OBJECT_new_null();
    ok = eku != nullptr && sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth)) > 0 &&
         AddExt(x.get(), NID_ext_key_usage, eku, 0);
    sk_ASN1_OBJECT_free(eku); // OBJ_nid2obj objects are static
    if (!ok)
    {
        return false;
    }
    // subjectAltName: the server name, then padding names up to the wanted size.
    Ossl<GENERAL_NAMES> sans(sk_GENERAL_NAME_new_null());
    if (!sans)
    {
        return false;
    }
    std::vector<std::string> names = PaddingNames(padding);
    names.insert(names.begin(), name);
    for (const auto& dns : names)
    {
        GENERAL_NAME* gen = GENERAL_NAME_new();
        ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
        if (gen == nullptr || ia5 == nullptr ||
            ASN1_STRING_set(ia5, dns.data(), static_cast<int>(dns.size())) != 1)
        {
            GENERAL_NAME_free(gen);
            ASN1_IA5STRING_free(ia5);
            return false;
        }
        GENERAL_NAME_set0_value(gen, GEN_DNS, ia5);
        if (sk_GENERAL_NAME_push(sans.get(), gen) <= 0)
        {
            GENERAL_NAME_free(gen);
            return false;
        }
    }
    if (!AddExt(x.get(), NID_subject_alt_name, sans.get(), 0))
    {
        return false;
    }

    if (X509_sign(x.get(), key, nullptr) <= 0) // Ed25519: no separate digest
    {
        return false;
    }
    int len = i2d_X509(x.get(), nullptr);
    if (len <= 0)
    {
        return false;
    }
    der.resize(static_cast<size_t>(len));
    unsigned char* p = der.data();
    return i2d_X509(x.get(), &p) == len;
}

/// Certificate cache key: (seed, size, name).
using CertCacheKey =
    std::tuple<std::array<uint8_t, ns3::QUIC_TLS_ED25519_SEED_LENGTH>, size_t, std::string>;

/// The certificate cache (generation signs up to nine times; handshakes reuse the result).
struct CertCache
{
    std::mutex lock;                                      //!< guards entries
    std::map<CertCacheKey, std::vector<uint8_t>> entries; //!< DER per key
};

/// The process-wide certificate cache.
CertCache&
GetCertCache()
{
    static CertCache s_cache;
    return s_cache;
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicTls");

std::string
QuicTlsAlertName(QuicTlsAlert alert)
{
    switch (alert)
    {
    case QuicTlsAlert::NO_ALERT:
        return "no_alert";
    case QuicTlsAlert::UNEXPECTED_MESSAGE:
        return "unexpected_message";
    case QuicTlsAlert::HANDSHAKE_FAILURE:
        return "handshake_failure";
    case QuicTlsAlert::BAD_CERTIFICATE:
        return "bad_certificate";
    case QuicTlsAlert::UNSUPPORTED_CERTIFICATE:
        return "unsupported_certificate";
    case QuicTlsAlert::ILLEGAL_PARAMETER:
        return "illegal_parameter";
    case QuicTlsAlert::DECODE_ERROR:
        return "decode_error";
    case QuicTlsAlert::DECRYPT_ERROR:
        return "decrypt_error";
    case QuicTlsAlert::PROTOCOL_VERSION:
        return "protocol_version";
    case QuicTlsAlert::INTERNAL_ERROR:
        return "internal_error";
    case QuicTlsAlert::MISSING_EXTENSION:
        return "missing_extension";
    case QuicTlsAlert::UNSUPPORTED_EXTENSION:
        return "unsupported_extension";
    case QuicTlsAlert::NO_APPLICATION_PROTOCOL:
        return "no_application_protocol";
    }
    return "alert(" + std::to_string(static_cast<unsigned>(alert)) + ")";
}

QuicTransportError
QuicTlsAlertToTransportError(QuicTlsAlert alert)
{
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        return QuicTransportError::NO_ERROR;
    }
    return QuicCryptoError(static_cast<uint8_t>(alert));
}

const char*
QuicTlsLevelName(QuicTlsLevel level)
{
    switch (level)
    {
    case QuicTlsLevel::INITIAL:
        return "Initial";
    case QuicTlsLevel::HANDSHAKE:
        return "Handshake";
    case QuicTlsLevel::APPLICATION:
        return "Application";
    }
    return "Unknown";
}

// ---------------------------------------------------------------------------
// Key schedule
// ---------------------------------------------------------------------------

bool
QuicTlsSha256(const uint8_t* data, size_t size, QuicTlsSecret& out)
{
    static const uint8_t empty = 0;
    unsigned int len = 0;
    return EVP_Digest(size > 0 ? data : &empty, size, out.data(), &len, EVP_sha256(), nullptr) ==
               1 &&
           len == out.size();
}

bool
QuicTlsHkdfExtract(const uint8_t* salt,
                   size_t saltLength,
                   const uint8_t* ikm,
                   size_t ikmLength,
                   QuicTlsSecret& prk)
{
    // RFC 5869 §2.2: an absent salt is HashLen zeros (what HMAC pads an empty key to anyway).
    static const uint8_t zeros[QUIC_TLS_HASH_LENGTH] = {};
    if (saltLength == 0)
    {
        salt = zeros;
        saltLength = sizeof(zeros);
    }
    if (ikmLength == 0)
    {
        // OpenSSL's HKDF refuses an empty key; HKDF-Extract is HMAC(salt, IKM).
        unsigned int len = 0;
        return HMAC(EVP_sha256(), salt, static_cast<int>(saltLength), zeros, 0, prk.data(), &len) !=
                   nullptr &&
               len == prk.size();
    }
    Ossl<EVP_PKEY_CTX> pctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    size_t outLen = prk.size();
    return pctx && EVP_PKEY_derive_init(pctx.get()) == 1 &&
           EVP_PKEY_CTX_hkdf_mode(pctx.get(), EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY) == 1 &&
           EVP_PKEY_CTX_set_hkdf_md(pctx.get(), EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set1_hkdf_salt(pctx.get(), salt, static_cast<int>(saltLength)) == 1 &&
           EVP_PKEY_CTX_set1_hkdf_key(pctx.get(), ikm, static_cast<int>(ikmLength)) == 1 &&
           EVP_PKEY_derive(pctx.get(), prk.data(), &outLen) == 1 && outLen == prk.size();
}

bool
QuicTlsHkdfExpandLabel(const QuicTlsSecret& secret,
                       const std::string& label,
                       const uint8_t* context,
                       size_t contextLength,
                       uint8_t* out,
                       size_t length)
{
    static const std::string prefix = "tls13 ";
    if (out == nullptr || length == 0 || length > 255 * QUIC_TLS_HASH_LENGTH ||
        prefix.size() + label.size() > 255 || contextLength > 255 ||
        (context == nullptr && contextLength > 0))
    {
        return false;
    }
    std::vector<uint8_t> info;
    info.reserve(4 + prefix.size() + label.size() + contextLength);
    info.push_back(static_cast<uint8_t>(length >> 8));
    info.push_back(static_cast<uint8_t>(length));
    info.push_back(static_cast<uint8_t>(prefix.size() + label.size()));
    info.insert(info.end(), prefix.begin(), prefix.end());
    info.insert(info.end(), label.begin(), label.end());
    info.push_back(static_cast<uint8_t>(contextLength));
    if (contextLength > 0)
    {
        info.insert(info.end(), context, context + contextLength);
    }
    Ossl<EVP_PKEY_CTX> pctx(EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr));
    size_t outLen = length;
    return pctx && EVP_PKEY_derive_init(pctx.get()) == 1 &&
           EVP_PKEY_CTX_hkdf_mode(pctx.get(), EVP_PKEY_HKDEF_MODE_EXPAND_ONLY) == 1 &&
           EVP_PKEY_CTX_set_hkdf_md(pctx.get(), EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set1_hkdf_key(pctx.get(), secret.data(), secret.size()) == 1 &&
           EVP_PKEY_CTX_add1_hkdf_info(pctx.get(), info.data(), static_cast<int>(info.size())) ==
               1 &&
           EVP_PKEY_derive(pctx.get(), out, &outLen) == 1 && outLen == length;
}

bool
QuicTlsDeriveSecret(const QuicTlsSecret& secret,
                    const std::string& label,
                    const QuicTlsSecret& transcriptHash,
                    QuicTlsSecret& out)
{
    return QuicTlsHkdfExpandLabel(secret,
                                  label,
                                  transcriptHash.data(),
                                  transcriptHash.size(),
                                  out.data(),
                                  out.size());
}

bool
QuicTlsComputeHandshakeSecrets(const uint8_t* sharedSecret,
                               size_t sharedSecretLength,
                               const QuicTlsSecret& helloHash,
                               QuicTlsSecret& handshakeSecret,
                               QuicTlsTrafficSecrets& secrets)
{
    static const QuicTlsSecret zeros{};
    QuicTlsSecret emptyHash;
    QuicTlsSecret early;
    QuicTlsSecret derived;
    return QuicTlsSha256(nullptr, 0, emptyHash) &&
           QuicTlsHkdfExtract(nullptr, 0, zeros.data(), zeros.size(), early) &&
           QuicTlsDeriveSecret(early, "derived", emptyHash, derived) &&
           QuicTlsHkdfExtract(derived.data(),
                              derived.size(),
                              sharedSecret,
                              sharedSecretLength,
                              handshakeSecret) &&
           QuicTlsDeriveSecret(handshakeSecret, "c hs traffic", helloHash, secrets.client) &&
           QuicTlsDeriveSecret(handshakeSecret, "s hs traffic", helloHash, secrets.server);
}

bool
QuicTlsComputeApplicationSecrets(const QuicTlsSecret& handshakeSecret,
                                 const QuicTlsSecret& serverFinishedHash,
                                 QuicTlsSecret& masterSecret,
                                 QuicTlsTrafficSecrets& secrets)
{
    static const QuicTlsSecret zeros{};
    QuicTlsSecret emptyHash;
    QuicTlsSecret derived;
    return QuicTlsSha256(nullptr, 0, emptyHash) &&
           QuicTlsDeriveSecret(handshakeSecret, "derived", emptyHash, derived) &&
           QuicTlsHkdfExtract(derived.data(),
                              derived.size(),
                              zeros.data(),
                              zeros.size(),
                              masterSecret) &&
           QuicTlsDeriveSecret(masterSecret, "c ap traffic", serverFinishedHash, secrets.client) &&
           QuicTlsDeriveSecret(masterSecret, "s ap traffic", serverFinishedHash, secrets.server);
}

bool
QuicTlsComputeFinished(const QuicTlsSecret& baseKey,
                       const QuicTlsSecret& transcriptHash,
                       QuicTlsSecret& verifyData)
{
    QuicTlsSecret finishedKey;
    if (!QuicTlsHkdfExpandLabel(baseKey,
                                "finished",
                                nullptr,
                                0,
                                finishedKey.data(),
                                finishedKey.size()))
    {
        return false;
    }
    unsigned int len = 0;
    bool ok = HMAC(EVP_sha256(),
                   finishedKey.data(),
                   static_cast<int>(finishedKey.size()),
                   transcriptHash.data(),
                   transcriptHash.size(),
                   verifyData.data(),
                   &len) != nullptr &&
              len == verifyData.size();
    OPENSSL_cleanse(finishedKey.data(), finishedKey.size());
    return ok;
}

std::vector<uint8_t>
QuicTlsCertificateVerifyContent(bool server, const QuicTlsSecret& transcriptHash)
{
    const char* context = server ? SERVER_CV_CONTEXT : CLIENT_CV_CONTEXT;
    size_t contextLength = std::strlen(context);
    std::vector<uint8_t> content(64 + contextLength + 1 + transcriptHash.size(), 0);
    std::memset(content.data(), 0x20, 64);
    std::memcpy(content.data() + 64, context, contextLength); // followed by the zero byte
    std::memcpy(content.data() + 64 + contextLength + 1,
                transcriptHash.data(),
                transcriptHash.size());
    return content;
}

std::string
QuicTlsKeyLogLine(const std::string& label,
                  const QuicTlsRandom& clientRandom,
                  const QuicTlsSecret& secret)
{
    return label + " " + Hex(clientRandom.data(), clientRandom.size()) + " " +
           Hex(secret.data(), secret.size());
}

QuicTlsTranscript::QuicTlsTranscript()
    : m_ctx(EVP_MD_CTX_new())
{
    Reset();
}

QuicTlsTranscript::~QuicTlsTranscript()
{
    EVP_MD_CTX_free(m_ctx);
}

void
QuicTlsTranscript::Reset()
{
    if (m_ctx != nullptr && EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1)
    {
        EVP_MD_CTX_free(m_ctx);
        m_ctx = nullptr;
    }
}

bool
QuicTlsTranscript::Update(const uint8_t* data, size_t size)
{
    if (m_ctx == nullptr)
    {
        return false;
    }
    return size == 0 || EVP_DigestUpdate(m_ctx, data, size) == 1;
}

bool
QuicTlsTranscript::GetHash(QuicTlsSecret& out) const
{
    if (m_ctx == nullptr)
    {
        return false;
    }
    Ossl<EVP_MD_CTX> copy(EVP_MD_CTX_new());
    unsigned int len = 0;
    return copy && EVP_MD_CTX_copy_ex(copy.get(), m_ctx) == 1 &&
           EVP_DigestFinal_ex(copy.get(), out.data(), &len) == 1 && len == out.size();
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

bool
QuicTlsReadHandshakeHeader(const uint8_t* data, size_t size, uint8_t& type, uint32_t& length)
{
    if (data == nullptr || size < QUIC_TLS_HANDSHAKE_HEADER_LENGTH)
    {
        return false;
    }
    type = data[0];
    length =
        (static_cast<uint32_t>(data[1]) << 16) | (static_cast<uint32_t>(data[2]) << 8) | data[3];
    return true;
}

std::vector<uint8_t>
QuicTlsEncodeClientHello(const QuicTlsClientHello& hello)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::CLIENT_HELLO);
    QuicBufferWriter w(out);
    bool ok = true;
    w.WriteU16(hello.legacyVersion);
    w.WriteBytes(hello.random.data(), hello.random.size());
    {
        LengthPrefix sid(out, 1);
        w.WriteBytes(hello.legacySessionId.data(), hello.legacySessionId.size());
        ok = sid.Close() && hello.legacySessionId.size() <= 32 && ok;
    }
    ok = WriteU16List(out, 2, hello.cipherSuites) && ok;
    {
        LengthPrefix comp(out, 1);
        w.WriteBytes(hello.compressionMethods.data(), hello.compressionMethods.size());
        ok = comp.Close() && ok;
    }
    LengthPrefix exts(out, 2);
    if (!hello.serverName.empty())
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::SERVER_NAME,
                            [&hello](std::vector<uint8_t>& o) {
                                LengthPrefix list(o, 2);
                                o.push_back(0); // host_name
                                LengthPrefix host(o, 2);
                                o.insert(o.end(), hello.serverName.begin(), hello.serverName.end());
                                return host.Close() && list.Close();
                            }) &&
             ok;
    }
    ok = WriteExtension(out,
                        QuicTlsExtensionType::SUPPORTED_GROUPS,
                        [&hello](std::vector<uint8_t>& o) {
                            return WriteU16List(o, 2, hello.supportedGroups);
                        }) &&
         ok;
    ok = WriteExtension(out,
                        QuicTlsExtensionType::SIGNATURE_ALGORITHMS,
                        [&hello](std::vector<uint8_t>& o) {
                            return WriteU16List(o, 2, hello.signatureAlgorithms);
                        }) &&
         ok;
    if (!hello.alpn.empty())
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::ALPN,
                            [&hello](std::vector<uint8_t>& o) {
                                LengthPrefix list(o, 2);
                                bool good = true;
                                for (const auto& name : hello.alpn)
                                {
                                    LengthPrefix entry(o, 1);
                                    o.insert(o.end(), name.begin(), name.end());
                                    good = entry.Close() && !name.empty() && good;
                                }
                                return list.Close() && good;
                            }) &&
             ok;
    }
    ok = WriteExtension(out,
                        QuicTlsExtensionType::SUPPORTED_VERSIONS,
                        [&hello](std::vector<uint8_t>& o) {
                            return WriteU16List(o, 1, hello.supportedVersions);
                        }) &&
         ok;
    ok = WriteExtension(out,
                        QuicTlsExtensionType::KEY_SHARE,
                        [&hello](std::vector<uint8_t>& o) {
                            LengthPrefix shares(o, 2);
                            QuicBufferWriter ow(o);
                            ow.WriteU16(QUIC_TLS_GROUP_X25519);
                            LengthPrefix key(o, 2);
                            ow.WriteBytes(hello.keyShare.data(), hello.keyShare.size());
                            return key.Close() && shares.Close();
                        }) &&
         ok;
    if (hello.hasTransportParameters)
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::QUIC_TRANSPORT_PARAMETERS,
                            [&hello](std::vector<uint8_t>& o) {
                                o.insert(o.end(),
                                         hello.transportParameters.begin(),
                                         hello.transportParameters.end());
                                return true;
                            }) &&
             ok;
    }
    ok = exts.Close() && ok;
    return EndMessage(out, ok);
}

QuicTlsAlert
QuicTlsDecodeClientHello(const uint8_t* data, size_t size, QuicTlsClientHello& hello)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::CLIENT_HELLO, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    hello = QuicTlsClientHello();
    hello.cipherSuites.clear();
    hello.compressionMethods.clear();
    hello.supportedGroups.clear();
    hello.signatureAlgorithms.clear();
    hello.supportedVersions.clear();
    hello.hasKeyShare = false;
    hello.hasTransportParameters = false;

    QuicBufferReader sid(nullptr, 0);
    QuicBufferReader comp(nullptr, 0);
    if (!r.ReadU16(hello.legacyVersion) || !r.ReadBytes(hello.random.data(), hello.random.size()) ||
        !ReadVector(r, 1, sid) || sid.Size() > 32 || !ReadU16List(r, 2, hello.cipherSuites) ||
        !ReadVector(r, 1, comp) || comp.Size() == 0)
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    hello.legacySessionId = Rest(sid);
    hello.compressionMethods = Rest(comp);
    std::vector<RawExtension> exts;
    alert = ReadExtensions(r, exts);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    if (!r.AtEnd())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    // RFC 8446 §4.1.2: TLS 1.3 allows only the null compression method.
    if (hello.compressionMethods.size() != 1 || hello.compressionMethods[0] != 0)
    {
        return QuicTlsAlert::ILLEGAL_PARAMETER;
    }

    for (auto& ext : exts)
    {
        hello.extensionTypes.push_back(ext.type);
        QuicBufferReader& d = ext.data;
        bool good = true;
        switch (static_cast<QuicTlsExtensionType>(ext.type))
        {
        case QuicTlsExtensionType::SERVER_NAME: {
            QuicBufferReader list(nullptr, 0);
            good = ReadVector(d, 2, list) && list.Size() > 0;
            while (good && !list.AtEnd())
            {
                uint8_t nameType;
                QuicBufferReader host(nullptr, 0);
                good = list.ReadU8(nameType) && ReadVector(list, 2, host) && host.Size() > 0;
                if (good && nameType == 0 && hello.serverName.empty())
                {
                    hello.serverName.assign(reinterpret_cast<const char*>(host.Data()),
                                            host.Size());
                }
            }
            break;
        }
        case QuicTlsExtensionType::SUPPORTED_GROUPS:
            good = ReadU16List(d, 2, hello.supportedGroups);
            break;
        case QuicTlsExtensionType::SIGNATURE_ALGORITHMS:
            good = ReadU16List(d, 2, hello.signatureAlgorithms);
            break;
        case QuicTlsExtensionType::ALPN: {
            QuicBufferReader list(nullptr, 0);
            good = ReadVector(d, 2, list) && list.Size() >= 2;
            while (good && !list.AtEnd())
            {
                QuicBufferReader name(nullptr, 0);
                good = ReadVector(list, 1, name) && name.Size() > 0;
                if (good)
                {
                    hello.alpn.emplace_back(reinterpret_cast<const char*>(name.Data()),
                                            name.Size());
                }
            }
            break;
        }
        case QuicTlsExtensionType::SUPPORTED_VERSIONS:
            good = ReadU16List(d, 1, hello.supportedVersions);
            break;
        case QuicTlsExtensionType::KEY_SHARE: {
            QuicBufferReader shares(nullptr, 0);
            good = ReadVector(d, 2, shares);
            while (good && !shares.AtEnd())
            {
                uint16_t group;
                QuicBufferReader key(nullptr, 0);
                good = shares.ReadU16(group) && ReadVector(shares, 2, key) && key.Size() > 0;
                if (good && group == QUIC_TLS_GROUP_X25519)
                {
                    // RFC 8446 §4.2.8: one share per group; §4.2.8.2: 32-byte x25519 shares.
                    if (hello.hasKeyShare || key.Size() != QUIC_TLS_KEY_SHARE_LENGTH)
                    {
                        return QuicTlsAlert::ILLEGAL_PARAMETER;
                    }
                    key.ReadBytes(hello.keyShare.data(), hello.keyShare.size());
                    hello.hasKeyShare = true;
                }
            }
            break;
        }
        case QuicTlsExtensionType::QUIC_TRANSPORT_PARAMETERS:
            hello.hasTransportParameters = true;
            hello.transportParameters = Rest(d);
            d.Skip(d.Remaining());
            break;
        default:
            d.Skip(d.Remaining()); // unknown extensions are ignored (RFC 8446 §4.2)
            break;
        }
        if (!good || !d.AtEnd())
        {
            return QuicTlsAlert::DECODE_ERROR;
        }
    }
    return QuicTlsAlert::NO_ALERT;
}

std::vector<uint8_t>
QuicTlsEncodeServerHello(const QuicTlsServerHello& hello)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::SERVER_HELLO);
    QuicBufferWriter w(out);
    bool ok = hello.legacySessionIdEcho.size() <= 32;
    w.WriteU16(hello.legacyVersion);
    w.WriteBytes(hello.random.data(), hello.random.size());
    {
        LengthPrefix sid(out, 1);
        w.WriteBytes(hello.legacySessionIdEcho.data(), hello.legacySessionIdEcho.size());
        ok = sid.Close() && ok;
    }
    w.WriteU16(hello.cipherSuite);
    w.WriteU8(hello.compressionMethod);
    LengthPrefix exts(out, 2);
    ok = WriteExtension(out,
                        QuicTlsExtensionType::SUPPORTED_VERSIONS,
                        [&hello](std::vector<uint8_t>& o) {
                            QuicBufferWriter(o).WriteU16(hello.selectedVersion);
                            return true;
                        }) &&
         ok;
    if (hello.hasKeyShare)
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::KEY_SHARE,
                            [&hello](std::vector<uint8_t>& o) {
                                QuicBufferWriter ow(o);
                                ow.WriteU16(hello.keyShareGroup);
                                LengthPrefix key(o, 2);
                                ow.WriteBytes(hello.keyShare.data(), hello.keyShare.size());
                                return key.Close();
                            }) &&
             ok;
    }
    ok = exts.Close() && ok;
    return EndMessage(out, ok);
}

QuicTlsAlert
QuicTlsDecodeServerHello(const uint8_t* data, size_t size, QuicTlsServerHello& hello)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::SERVER_HELLO, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    hello = QuicTlsServerHello();
    hello.selectedVersion = 0;
    hello.hasKeyShare = false;
    hello.keyShareGroup = 0;
    QuicBufferReader sid(nullptr, 0);
    if (!r.ReadU16(hello.legacyVersion) || !r.ReadBytes(hello.random.data(), hello.random.size()) ||
        !ReadVector(r, 1, sid) || sid.Size() > 32 || !r.ReadU16(hello.cipherSuite) ||
        !r.ReadU8(hello.compressionMethod))
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    hello.legacySessionIdEcho = Rest(sid);
    hello.helloRetryRequest = std::memcmp(hello.random.data(), HRR_RANDOM, 32) == 0;
    std::vector<RawExtension> exts;
    alert = ReadExtensions(r, exts);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    if (!r.AtEnd())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    if (hello.compressionMethod != 0)
    {
        return QuicTlsAlert::ILLEGAL_PARAMETER; // RFC 8446 §4.1.3
    }
    for (auto& ext : exts)
    {
        QuicBufferReader& d = ext.data;
        bool good = true;
        switch (static_cast<QuicTlsExtensionType>(ext.type))
        {
        case QuicTlsExtensionType::SUPPORTED_VERSIONS:
            good = d.ReadU16(hello.selectedVersion);
            break;
        case QuicTlsExtensionType::KEY_SHARE:
            good = d.ReadU16(hello.keyShareGroup);
            if (good && !hello.helloRetryRequest)
            {
                QuicBufferReader key(nullptr, 0);
                good = ReadVector(d, 2, key) && key.Size() > 0;
                if (good && hello.keyShareGroup == QUIC_TLS_GROUP_X25519)
                {
                    if (key.Size() != QUIC_TLS_KEY_SHARE_LENGTH)
                    {
                        return QuicTlsAlert::ILLEGAL_PARAMETER;
                    }
                    key.ReadBytes(hello.keyShare.data(), hello.keyShare.size());
                }
            }
            hello.hasKeyShare = good;
            break;
        default:
            hello.otherExtensions.push_back(ext.type);
            d.Skip(d.Remaining());
            break;
        }
        if (!good || !d.AtEnd())
        {
            return QuicTlsAlert::DECODE_ERROR;
        }
    }
    return QuicTlsAlert::NO_ALERT;
}

std::vector<uint8_t>
QuicTlsEncodeEncryptedExtensions(const QuicTlsEncryptedExtensions& ee)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS);
    bool ok = true;
    LengthPrefix exts(out, 2);
    if (!ee.alpn.empty())
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::ALPN,
                            [&ee](std::vector<uint8_t>& o) {
                                LengthPrefix list(o, 2);
                                LengthPrefix entry(o, 1);
                                o.insert(o.end(), ee.alpn.begin(), ee.alpn.end());
                                return entry.Close() && list.Close();
                            }) &&
             ok;
    }
    if (ee.hasTransportParameters)
    {
        ok = WriteExtension(out,
                            QuicTlsExtensionType::QUIC_TRANSPORT_PARAMETERS,
                            [&ee](std::vector<uint8_t>& o) {
                                o.insert(o.end(),
                                         ee.transportParameters.begin(),
                                         ee.transportParameters.end());
                                return true;
                            }) &&
             ok;
    }
    ok = exts.Close() && ok;
    return EndMessage(out, ok);
}

QuicTlsAlert
QuicTlsDecodeEncryptedExtensions(const uint8_t* data, size_t size, QuicTlsEncryptedExtensions& ee)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    ee = QuicTlsEncryptedExtensions();
    ee.hasTransportParameters = false;
    std::vector<RawExtension> exts;
    alert = ReadExtensions(r, exts);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    if (!r.AtEnd())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    for (auto& ext : exts)
    {
        QuicBufferReader& d = ext.data;
        bool good = true;
        switch (static_cast<QuicTlsExtensionType>(ext.type))
        {
        case QuicTlsExtensionType::ALPN: {
            // RFC 7301 §3.1: the server's list holds exactly one name.
            QuicBufferReader list(nullptr, 0);
            QuicBufferReader name(nullptr, 0);
            good = ReadVector(d, 2, list) && ReadVector(list, 1, name) && name.Size() > 0 &&
                   list.AtEnd();
            if (good)
            {
                ee.alpn.assign(reinterpret_cast<const char*>(name.Data()), name.Size());
            }
            break;
        }
        case QuicTlsExtensionType::QUIC_TRANSPORT_PARAMETERS:
            ee.hasTransportParameters = true;
            ee.transportParameters = Rest(d);
            d.Skip(d.Remaining());
            break;
        case QuicTlsExtensionType::KEY_SHARE:
        case QuicTlsExtensionType::SUPPORTED_VERSIONS:
        case QuicTlsExtensionType::SIGNATURE_ALGORITHMS:
        case QuicTlsExtensionType::PRE_SHARED_KEY:
            return QuicTlsAlert::ILLEGAL_PARAMETER; // RFC 8446 §4.2: not allowed in EE
        default:
            ee.otherExtensions.push_back(ext.type);
            d.Skip(d.Remaining());
            break;
        }
        if (!good || !d.AtEnd())
        {
            return QuicTlsAlert::DECODE_ERROR;
        }
    }
    return QuicTlsAlert::NO_ALERT;
}

std::vector<uint8_t>
QuicTlsEncodeCertificate(const QuicTlsCertificate& certificate)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::CERTIFICATE);
    out.reserve(out.size() + 16 +
                (certificate.certificates.empty() ? 0 : certificate.certificates[0].size()));
    QuicBufferWriter w(out);
    bool ok = true;
    {
        LengthPrefix ctx(out, 1);
        w.WriteBytes(certificate.requestContext.data(), certificate.requestContext.size());
        ok = ctx.Close() && ok;
    }
    LengthPrefix list(out, 3);
    for (const auto& cert : certificate.certificates)
    {
        LengthPrefix entry(out, 3);
        w.WriteBytes(cert.data(), cert.size());
        ok = entry.Close() && !cert.empty() && ok;
        w.WriteU16(0); // no per-entry extensions
    }
    ok = list.Close() && ok;
    return EndMessage(out, ok);
}

QuicTlsAlert
QuicTlsDecodeCertificate(const uint8_t* data, size_t size, QuicTlsCertificate& certificate)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::CERTIFICATE, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    certificate = QuicTlsCertificate();
    QuicBufferReader ctx(nullptr, 0);
    QuicBufferReader list(nullptr, 0);
    if (!ReadVector(r, 1, ctx) || !ReadVector(r, 3, list) || !r.AtEnd())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    certificate.requestContext = Rest(ctx);
    while (!list.AtEnd())
    {
        QuicBufferReader cert(nullptr, 0);
        QuicBufferReader exts(nullptr, 0);
        if (!ReadVector(list, 3, cert) || cert.Size() == 0 || !ReadVector(list, 2, exts))
        {
            return QuicTlsAlert::DECODE_ERROR;
        }
        // Per-entry extensions (OCSP, SCT) are checked for framing only.
        while (!exts.AtEnd())
        {
            uint16_t type;
            QuicBufferReader body(nullptr, 0);
            if (!exts.ReadU16(type) || !ReadVector(exts, 2, body))
            {
                return QuicTlsAlert::DECODE_ERROR;
            }
        }
        certificate.certificates.push_back(Rest(cert));
    }
    return QuicTlsAlert::NO_ALERT;
}

std::vector<uint8_t>
QuicTlsEncodeCertificateVerify(const QuicTlsCertificateVerify& cv)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::CERTIFICATE_VERIFY);
    QuicBufferWriter w(out);
    w.WriteU16(cv.algorithm);
    LengthPrefix sig(out, 2);
    w.WriteBytes(cv.signature.data(), cv.signature.size());
    bool ok = sig.Close();
    return EndMessage(out, ok);
}

QuicTlsAlert
QuicTlsDecodeCertificateVerify(const uint8_t* data, size_t size, QuicTlsCertificateVerify& cv)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::CERTIFICATE_VERIFY, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    cv = QuicTlsCertificateVerify();
    QuicBufferReader sig(nullptr, 0);
    if (!r.ReadU16(cv.algorithm) || !ReadVector(r, 2, sig) || !r.AtEnd())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    cv.signature = Rest(sig);
    return QuicTlsAlert::NO_ALERT;
}

std::vector<uint8_t>
QuicTlsEncodeFinished(const QuicTlsSecret& verifyData)
{
    std::vector<uint8_t> out = BeginMessage(QuicTlsHandshakeType::FINISHED);
    out.insert(out.end(), verifyData.begin(), verifyData.end());
    return EndMessage(out, true);
}

QuicTlsAlert
QuicTlsDecodeFinished(const uint8_t* data, size_t size, QuicTlsSecret& verifyData)
{
    QuicBufferReader r(nullptr, 0);
    QuicTlsAlert alert = ReadBody(data, size, QuicTlsHandshakeType::FINISHED, r);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        return alert;
    }
    if (r.Remaining() != verifyData.size())
    {
        return QuicTlsAlert::DECODE_ERROR;
    }
    r.ReadBytes(verifyData.data(), verifyData.size());
    return QuicTlsAlert::NO_ALERT;
}

// ---------------------------------------------------------------------------
// Certificates and signatures
// ---------------------------------------------------------------------------

bool
QuicTlsGenerateCertificate(const std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH>& seed,
                           size_t targetSize,
                           const std::string& name,
                           std::vector<uint8_t>& der)
{
    std::string certName = name.empty() || name.size() > 253 ? DEFAULT_CERT_NAME : name;
    targetSize = std::min(targetSize, MAX_CERT_SIZE);
    CertCacheKey key(seed, targetSize, certName);
    CertCache& cache = GetCertCache();
    {
        std::lock_guard<std::mutex> guard(cache.lock);
        auto it = cache.entries.find(key);
        if (it != cache.entries.end())
        {
            der = it->second;
            return true;
        }
    }

    Ossl<EVP_PKEY> pkey(Ed25519KeyFromSeed(seed));
    QuicTlsSecret serialSource;
    if (!pkey || !QuicTlsSha256(seed.data(), seed.size(), serialSource))
    {
        return false;
    }
    std::vector<uint8_t> cert;
    if (!BuildCertificate(pkey.get(), certName, serialSource, 0, cert))
    {
        return false;
    }
    // The size grows with the padding by the padding plus the growth of enclosing
    // DER length fields (at 128, 256, 65536 bytes): walk towards the target and
    // keep the closest.
    std::vector<uint8_t> best = cert;
    if (cert.size() < targetSize)
    {
        size_t padding = targetSize - cert.size();
        for (int i = 0; i < 8; ++i)
        {
            if (!BuildCertificate(pkey.get(), certName, serialSource, padding, cert))
            {
                return false;
            }
            auto distance = [targetSize](size_t s) {
                return s > targetSize ? s - targetSize : targetSize - s;
            };
            if (distance(cert.size()) < distance(best.size()))
            {
                best = cert;
            }
            if (cert.size() == targetSize)
            {
                break;
            }
            if (cert.size() > targetSize)
            {
                size_t over = cert.size() - targetSize;
                if (over > padding)
                {
                    break;
                }
                padding -= over;
            }
            else
            {
                padding += targetSize - cert.size();
            }
        }
    }
    der = best;
    std::lock_guard<std::mutex> guard(cache.lock);
    if (cache.entries.size() >= MAX_CERT_CACHE_ENTRIES)
    {
        cache.entries.clear();
    }
    cache.entries.emplace(key, best);
    return true;
}

void
QuicTlsClearCertificateCache()
{
    CertCache& cache = GetCertCache();
    std::lock_guard<std::mutex> guard(cache.lock);
    cache.entries.clear();
}

bool
QuicTlsEd25519Sign(const std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH>& seed,
                   const std::vector<uint8_t>& message,
                   std::vector<uint8_t>& signature)
{
    Ossl<EVP_PKEY> pkey(Ed25519KeyFromSeed(seed));
    Ossl<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    size_t sigLen = 64;
    signature.assign(sigLen, 0);
    bool ok =
        pkey && ctx && EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
        EVP_DigestSign(ctx.get(), signature.data(), &sigLen, message.data(), message.size()) == 1;
    signature.resize(ok ? sigLen : 0);
    return ok;
}

QuicTlsAlert
QuicTlsEd25519Verify(const std::vector<uint8_t>& certificateDer,
                     const std::vector<uint8_t>& message,
                     const std::vector<uint8_t>& signature)
{
    const unsigned char* p = certificateDer.data();
    if (certificateDer.empty() || certificateDer.size() > static_cast<size_t>(INT32_MAX))
    {
        return QuicTlsAlert::BAD_CERTIFICATE;
    }
    Ossl<X509> x(d2i_X509(nullptr, &p, static_cast<long>(certificateDer.size())));
    if (!x || p != certificateDer.data() + certificateDer.size())
    {
        return QuicTlsAlert::BAD_CERTIFICATE;
    }
    EVP_PKEY* pub = X509_get0_pubkey(x.get());
    if (pub == nullptr)
    {
        return QuicTlsAlert::BAD_CERTIFICATE;
    }
    if (EVP_PKEY_id(pub) != EVP_PKEY_ED25519)
    {
        return QuicTlsAlert::UNSUPPORTED_CERTIFICATE;
    }
    Ossl<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pub) != 1)
    {
        return QuicTlsAlert::INTERNAL_ERROR;
    }
    int rc = EVP_DigestVerify(ctx.get(),
                              signature.data(),
                              signature.size(),
                              message.data(),
                              message.size());
    return rc == 1 ? QuicTlsAlert::NO_ALERT : QuicTlsAlert::DECRYPT_ERROR;
}

// ---------------------------------------------------------------------------
// QuicTlsPostHandshake
// ---------------------------------------------------------------------------

QuicTlsPostHandshake::QuicTlsPostHandshake(QuicTlsRole role, size_t maxMessageSize)
    : m_role(role),
      m_failed(false),
      m_alert(QuicTlsAlert::NO_ALERT),
      m_error(QuicTransportError::NO_ERROR),
      m_maxMessageSize(maxMessageSize)
{
}

void
QuicTlsPostHandshake::Fail(QuicTlsAlert alert)
{
    if (!m_failed)
    {
        m_failed = true;
        m_alert = alert;
        m_error = QuicTlsAlertToTransportError(alert);
    }
}

void
QuicTlsPostHandshake::FailTransport(QuicTransportError error)
{
    if (!m_failed)
    {
        m_failed = true;
        m_alert = QuicTlsAlert::NO_ALERT;
        m_error = error;
    }
}

QuicTransportError
QuicTlsPostHandshake::ReceiveCrypto(QuicTlsLevel level, const uint8_t* data, size_t size)
{
    // The rules of QuicTlsHandshake::ReceiveCrypto() in the CONNECTED state.
    if (m_failed || size == 0)
    {
        return m_error;
    }
    if (static_cast<size_t>(level) >= QUIC_TLS_LEVEL_COUNT || data == nullptr)
    {
        FailTransport(QuicTransportError::INTERNAL_ERROR);
        return m_error;
    }
    if (level != QuicTlsLevel::APPLICATION)
    {
        NS_LOG_LOGIC("CRYPTO data at " << QuicTlsLevelName(level) << " after the handshake");
        Fail(QuicTlsAlert::UNEXPECTED_MESSAGE);
        return m_error;
    }
    m_rx.insert(m_rx.end(), data, data + size);
    size_t pos = 0;
    while (!m_failed && m_rx.size() - pos >= QUIC_TLS_HANDSHAKE_HEADER_LENGTH)
    {
        uint8_t type = 0;
        uint32_t length = 0;
        QuicTlsReadHandshakeHeader(m_rx.data() + pos, m_rx.size() - pos, type, length);
        if (length > m_maxMessageSize)
        {
            NS_LOG_LOGIC("handshake message of " << length << " bytes exceeds the limit");
            FailTransport(QuicTransportError::CRYPTO_BUFFER_EXCEEDED);
            break;
        }
        size_t total = QUIC_TLS_HANDSHAKE_HEADER_LENGTH + length;
        if (m_rx.size() - pos < total)
        {
            break; // wait for the rest
        }
        if (static_cast<QuicTlsHandshakeType>(type) != QuicTlsHandshakeType::NEW_SESSION_TICKET ||
            m_role != QuicTlsRole::CLIENT)
        {
            // KeyUpdate is forbidden in QUIC (RFC 9001 §6); nothing else may follow.
            Fail(QuicTlsAlert::UNEXPECTED_MESSAGE);
            break;
        }
        // Session tickets are not modelled: accept and forget.
        pos += total;
    }
    if (m_failed)
    {
        std::vector<uint8_t>().swap(m_rx);
        return m_error;
    }
    m_rx.erase(m_rx.begin(), m_rx.begin() + static_cast<std::ptrdiff_t>(pos));
    if (m_rx.empty())
    {
        std::vector<uint8_t>().swap(m_rx);
    }
    return m_error;
}

bool
QuicTlsPostHandshake::HasFailed() const
{
    return m_failed;
}

QuicTransportError
QuicTlsPostHandshake::GetError() const
{
    return m_error;
}

QuicTlsAlert
QuicTlsPostHandshake::GetAlert() const
{
    return m_alert;
}

// ---------------------------------------------------------------------------
// QuicTlsHandshake
// ---------------------------------------------------------------------------

QuicTlsHandshake::QuicTlsHandshake(QuicTlsRole role, const QuicTlsConfig& config)
    : m_role(role),
      m_config(config),
      m_state(role == QuicTlsRole::CLIENT ? State::CLIENT_START : State::SERVER_WAIT_CH),
      m_error(QuicTransportError::NO_ERROR),
      m_alert(QuicTlsAlert::NO_ALERT),
      m_clientRandom{},
      m_handshakeSecret{},
      m_hsSecrets(),
      m_apSecrets(),
      m_hasHsSecrets(false),
      m_hasApSecrets(false),
      m_complete(false),
      m_hasPeerTp(false)
{
    NS_LOG_FUNCTION(this << (role == QuicTlsRole::CLIENT ? "client" : "server"));
    if (role == QuicTlsRole::CLIENT)
    {
        m_clientRandom = config.random;
    }
}

QuicTlsHandshake::~QuicTlsHandshake()
{
    OPENSSL_cleanse(m_handshakeSecret.data(), m_handshakeSecret.size());
}

QuicTlsRole
QuicTlsHandshake::GetRole() const
{
    return m_role;
}

void
QuicTlsHandshake::SetSecretsCallback(Callback<void, QuicTlsLevel, const QuicTlsTrafficSecrets&> cb)
{
    m_secretsCb = cb;
}

void
QuicTlsHandshake::SetHandshakeCompleteCallback(Callback<void> cb)
{
    m_completeCb = cb;
}

void
QuicTlsHandshake::SetKeyLogCallback(Callback<void, const std::string&> cb)
{
    m_keyLogCb = cb;
}

void
QuicTlsHandshake::SetTransportParameters(const std::vector<uint8_t>& transportParameters)
{
    m_config.transportParameters = transportParameters;
}

QuicTransportError
QuicTlsHandshake::Start()
{
    NS_LOG_FUNCTION(this);
    if (m_state == State::FAILED || m_role != QuicTlsRole::CLIENT || m_state != State::CLIENT_START)
    {
        return m_error;
    }
    QuicTlsClientHello hello;
    hello.random = m_config.random;
    hello.keyShare = m_config.keyShare;
    hello.serverName = m_config.serverName;
    hello.alpn = m_config.alpn;
    hello.transportParameters = m_config.transportParameters;
    std::vector<uint8_t> msg = QuicTlsEncodeClientHello(hello);
    if (msg.empty())
    {
        FailTransport(QuicTransportError::INTERNAL_ERROR);
        return m_error;
    }
    if (Send(QuicTlsLevel::INITIAL, msg))
    {
        m_state = State::CLIENT_WAIT_SH;
    }
    return m_error;
}

bool
QuicTlsHandshake::ExpectsLevel(QuicTlsLevel level) const
{
    switch (m_state)
    {
    case State::CLIENT_WAIT_SH:
    case State::SERVER_WAIT_CH:
        return level == QuicTlsLevel::INITIAL;
    case State::CLIENT_WAIT_EE:
    case State::CLIENT_WAIT_CERT:
    case State::CLIENT_WAIT_CV:
    case State::CLIENT_WAIT_FINISHED:
    case State::SERVER_WAIT_FINISHED:
        return level == QuicTlsLevel::HANDSHAKE;
    case State::CONNECTED:
        return level == QuicTlsLevel::APPLICATION;
    case State::CLIENT_START:
    case State::FAILED:
        return false;
    }
    return false;
}

QuicTransportError
QuicTlsHandshake::ReceiveCrypto(QuicTlsLevel level, const uint8_t* data, size_t size)
{
    NS_LOG_FUNCTION(this << QuicTlsLevelName(level) << size);
    auto idx = static_cast<size_t>(level);
    if (m_state == State::FAILED || size == 0)
    {
        return m_error;
    }
    if (idx >= QUIC_TLS_LEVEL_COUNT || data == nullptr)
    {
        FailTransport(QuicTransportError::INTERNAL_ERROR);
        return m_error;
    }
    if (!ExpectsLevel(level))
    {
        NS_LOG_LOGIC("CRYPTO data at " << QuicTlsLevelName(level) << " not expected now");
        Fail(QuicTlsAlert::UNEXPECTED_MESSAGE);
        return m_error;
    }
    std::vector<uint8_t>& buf = m_rx[idx];
    buf.insert(buf.end(), data, data + size);
    size_t pos = 0;
    while (m_state != State::FAILED && buf.size() - pos >= QUIC_TLS_HANDSHAKE_HEADER_LENGTH)
    {
        if (!ExpectsLevel(level))
        {
            // RFC 9001 §4.1.3: data left at a level the handshake has moved past.
            FailTransport(QuicTransportError::PROTOCOL_VIOLATION);
            break;
        }
        uint8_t type = 0;
        uint32_t length = 0;
        QuicTlsReadHandshakeHeader(buf.data() + pos, buf.size() - pos, type, length);
        if (length > m_config.maxMessageSize)
        {
            NS_LOG_LOGIC("handshake message of " << length << " bytes exceeds the limit");
            FailTransport(QuicTransportError::CRYPTO_BUFFER_EXCEEDED);
            break;
        }
        size_t total = QUIC_TLS_HANDSHAKE_HEADER_LENGTH + length;
        if (buf.size() - pos < total)
        {
            break; // wait for the rest
        }
        ProcessMessage(level, buf.data() + pos, total);
        pos += total;
    }
    if (m_state == State::FAILED)
    {
        buf.clear();
        return m_error;
    }
    buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pos));
    if (buf.empty())
    {
        // Nothing partial is left: free the storage rather than keep a flight's worth of
        // capacity for the rest of the connection (messages arrive in a few flights).
        std::vector<uint8_t>().swap(buf);
    }
    if (!buf.empty() && !ExpectsLevel(level))
    {
        FailTransport(QuicTransportError::PROTOCOL_VIOLATION);
    }
    return m_error;
}

void
QuicTlsHandshake::ProcessMessage(QuicTlsLevel level, const uint8_t* msg, size_t size)
{
    auto type = static_cast<QuicTlsHandshakeType>(msg[0]);
    NS_LOG_LOGIC("received handshake type " << static_cast<unsigned>(msg[0]) << ", " << size
                                            << " bytes at " << QuicTlsLevelName(level));
    switch (m_state)
    {
    case State::CLIENT_WAIT_SH:
        if (type == QuicTlsHandshakeType::SERVER_HELLO)
        {
            ClientOnServerHello(msg, size);
            return;
        }
        break;
    case State::CLIENT_WAIT_EE:
        if (type == QuicTlsHandshakeType::ENCRYPTED_EXTENSIONS)
        {
            ClientOnEncryptedExtensions(msg, size);
            return;
        }
        break;
    case State::CLIENT_WAIT_CERT:
        // A CertificateRequest would come here; the model never asks for client auth.
        if (type == QuicTlsHandshakeType::CERTIFICATE)
        {
            ClientOnCertificate(msg, size);
            return;
        }
        break;
    case State::CLIENT_WAIT_CV:
        if (type == QuicTlsHandshakeType::CERTIFICATE_VERIFY)
        {
            ClientOnCertificateVerify(msg, size);
            return;
        }
        break;
    case State::CLIENT_WAIT_FINISHED:
        if (type == QuicTlsHandshakeType::FINISHED)
        {
            ClientOnFinished(msg, size);
            return;
        }
        break;
    case State::SERVER_WAIT_CH:
        if (type == QuicTlsHandshakeType::CLIENT_HELLO)
        {
            ServerOnClientHello(msg, size);
            return;
        }
        break;
    case State::SERVER_WAIT_FINISHED:
        if (type == QuicTlsHandshakeType::FINISHED)
        {
            ServerOnFinished(msg, size);
            return;
        }
        break;
    case State::CONNECTED:
        if (type == QuicTlsHandshakeType::NEW_SESSION_TICKET && m_role == QuicTlsRole::CLIENT)
        {
            // Session tickets are not modelled: accept and forget.
            if (m_config.keepLogs)
            {
                m_messageLog.push_back({level, type, size, false});
            }
            return;
        }
        break; // KeyUpdate is forbidden in QUIC (RFC 9001 §6): unexpected_message
    case State::CLIENT_START:
    case State::FAILED:
        break;
    }
    Fail(QuicTlsAlert::UNEXPECTED_MESSAGE);
}

void
QuicTlsHandshake::ClientOnServerHello(const uint8_t* msg, size_t size)
{
    QuicTlsServerHello sh;
    QuicTlsAlert alert = QuicTlsDecodeServerHello(msg, size, sh);
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        if (sh.helloRetryRequest)
        {
            // We sent an x25519 share, the only group we offer: any HRR is illegal (§4.1.4).
            alert = QuicTlsAlert::ILLEGAL_PARAMETER;
        }
        else if (sh.selectedVersion == 0 || sh.legacyVersion != QUIC_TLS_LEGACY_VERSION)
        {
            alert = QuicTlsAlert::PROTOCOL_VERSION; // a TLS 1.2 ServerHello (RFC 9001 §4.2)
        }
        else if (sh.selectedVersion != QUIC_TLS_VERSION_13 || !sh.legacySessionIdEcho.empty() ||
                 sh.cipherSuite != QUIC_TLS_AES_128_GCM_SHA256)
        {
            alert = QuicTlsAlert::ILLEGAL_PARAMETER; // RFC 8446 §4.1.3, §4.2.1
        }
        else if (!sh.otherExtensions.empty())
        {
            alert = QuicTlsAlert::UNSUPPORTED_EXTENSION; // nothing else was offered
        }
        else if (!sh.hasKeyShare)
        {
            alert = QuicTlsAlert::MISSING_EXTENSION;
        }
        else if (sh.keyShareGroup != QUIC_TLS_GROUP_X25519)
        {
            alert = QuicTlsAlert::ILLEGAL_PARAMETER;
        }
    }
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    if (!Absorb(QuicTlsLevel::INITIAL, msg, size) ||
        !DeriveHandshakeSecrets(m_config.keyShare, sh.keyShare))
    {
        return;
    }
    m_state = State::CLIENT_WAIT_EE;
}

void
QuicTlsHandshake::ClientOnEncryptedExtensions(const uint8_t* msg, size_t size)
{
    QuicTlsEncryptedExtensions ee;
    QuicTlsAlert alert = QuicTlsDecodeEncryptedExtensions(msg, size, ee);
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        for (uint16_t type : ee.otherExtensions)
        {
            // server_name (empty acknowledgement) and supported_groups may appear;
            // anything else was not offered (RFC 8446 §4.2).
            if (type != static_cast<uint16_t>(QuicTlsExtensionType::SERVER_NAME) &&
                type != static_cast<uint16_t>(QuicTlsExtensionType::SUPPORTED_GROUPS))
            {
                alert = QuicTlsAlert::UNSUPPORTED_EXTENSION;
            }
        }
        if (alert != QuicTlsAlert::NO_ALERT)
        {
            // keep the alert
        }
        else if (ee.alpn.empty())
        {
            alert = QuicTlsAlert::NO_APPLICATION_PROTOCOL; // RFC 9001 §8.1
        }
        else if (std::find(m_config.alpn.begin(), m_config.alpn.end(), ee.alpn) ==
                 m_config.alpn.end())
        {
            alert = QuicTlsAlert::ILLEGAL_PARAMETER; // a protocol we did not offer
        }
        else if (!ee.hasTransportParameters)
        {
            alert = QuicTlsAlert::MISSING_EXTENSION; // RFC 9001 §8.2
        }
    }
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    if (!Absorb(QuicTlsLevel::HANDSHAKE, msg, size))
    {
        return;
    }
    m_alpn = ee.alpn;
    m_peerTp = std::move(ee.transportParameters);
    m_hasPeerTp = true;
    m_state = State::CLIENT_WAIT_CERT;
}

void
QuicTlsHandshake::ClientOnCertificate(const uint8_t* msg, size_t size)
{
    QuicTlsCertificate cert;
    QuicTlsAlert alert = QuicTlsDecodeCertificate(msg, size, cert);
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        if (!cert.requestContext.empty())
        {
            alert = QuicTlsAlert::ILLEGAL_PARAMETER; // server certificates have none (§4.4.2)
        }
        else if (cert.certificates.empty())
        {
            alert = QuicTlsAlert::DECODE_ERROR; // RFC 8446 §4.4.2.4
        }
    }
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    if (!Absorb(QuicTlsLevel::HANDSHAKE, msg, size))
    {
        return;
    }
    // The DER is parsed when CertificateVerify arrives; no chain validation (model).
    m_peerCertificate = std::move(cert.certificates[0]);
    m_state = State::CLIENT_WAIT_CV;
}

void
QuicTlsHandshake::ClientOnCertificateVerify(const uint8_t* msg, size_t size)
{
    QuicTlsCertificateVerify cv;
    QuicTlsAlert alert = QuicTlsDecodeCertificateVerify(msg, size, cv);
    if (alert == QuicTlsAlert::NO_ALERT && cv.algorithm != QUIC_TLS_SIG_ED25519)
    {
        alert = QuicTlsAlert::ILLEGAL_PARAMETER; // must match the certificate key (§4.4.3)
    }
    QuicTlsSecret hash;
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        if (!m_transcript.GetHash(hash))
        {
            alert = QuicTlsAlert::INTERNAL_ERROR;
        }
        else
        {
            alert = QuicTlsEd25519Verify(m_peerCertificate,
                                         QuicTlsCertificateVerifyContent(true, hash),
                                         cv.signature);
        }
    }
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    if (!Absorb(QuicTlsLevel::HANDSHAKE, msg, size))
    {
        return;
    }
    std::vector<uint8_t>().swap(m_peerCertificate); // verified: not needed any more
    m_state = State::CLIENT_WAIT_FINISHED;
}

void
QuicTlsHandshake::ClientOnFinished(const uint8_t* msg, size_t size)
{
    QuicTlsSecret received;
    QuicTlsAlert alert = QuicTlsDecodeFinished(msg, size, received);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    QuicTlsSecret hash;
    QuicTlsSecret expected;
    if (!m_transcript.GetHash(hash) || !QuicTlsComputeFinished(m_hsSecrets.server, hash, expected))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (CRYPTO_memcmp(received.data(), expected.data(), expected.size()) != 0)
    {
        Fail(QuicTlsAlert::DECRYPT_ERROR); // RFC 8446 §4.4.4
        return;
    }
    if (!Absorb(QuicTlsLevel::HANDSHAKE, msg, size) || !m_transcript.GetHash(hash) ||
        !DeriveApplicationSecrets())
    {
        if (m_state != State::FAILED)
        {
            Fail(QuicTlsAlert::INTERNAL_ERROR);
        }
        return;
    }
    QuicTlsSecret verifyData;
    if (!QuicTlsComputeFinished(m_hsSecrets.client, hash, verifyData))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (!Send(QuicTlsLevel::HANDSHAKE, QuicTlsEncodeFinished(verifyData)))
    {
        return;
    }
    Complete();
}

void
QuicTlsHandshake::ServerOnClientHello(const uint8_t* msg, size_t size)
{
    QuicTlsClientHello ch;
    QuicTlsAlert alert = QuicTlsDecodeClientHello(msg, size, ch);
    auto offers = [](const std::vector<uint16_t>& list, uint16_t v) {
        return std::find(list.begin(), list.end(), v) != list.end();
    };
    std::string alpn;
    if (alert == QuicTlsAlert::NO_ALERT)
    {
        if (!ch.legacySessionId.empty())
        {
            FailTransport(QuicTransportError::PROTOCOL_VIOLATION); // RFC 9001 §8.4
            return;
        }
        for (const auto& mine : m_config.alpn) // server preference (RFC 7301 §3.2)
        {
            if (alpn.empty() && std::find(ch.alpn.begin(), ch.alpn.end(), mine) != ch.alpn.end())
            {
                alpn = mine;
            }
        }
        if (!offers(ch.supportedVersions, QUIC_TLS_VERSION_13))
        {
            alert = QuicTlsAlert::PROTOCOL_VERSION; // RFC 9001 §4.2, RFC 8446 §4.2.1
        }
        else if (!offers(ch.cipherSuites, QUIC_TLS_AES_128_GCM_SHA256))
        {
            alert = QuicTlsAlert::HANDSHAKE_FAILURE;
        }
        else if (ch.signatureAlgorithms.empty() || ch.supportedGroups.empty())
        {
            alert = QuicTlsAlert::MISSING_EXTENSION; // RFC 8446 §9.2
        }
        else if (!offers(ch.signatureAlgorithms, QUIC_TLS_SIG_ED25519) ||
                 !offers(ch.supportedGroups, QUIC_TLS_GROUP_X25519) || !ch.hasKeyShare)
        {
            alert = QuicTlsAlert::HANDSHAKE_FAILURE; // would need HRR: not modelled
        }
        else if (alpn.empty())
        {
            alert = QuicTlsAlert::NO_APPLICATION_PROTOCOL; // RFC 9001 §8.1
        }
        else if (!ch.hasTransportParameters)
        {
            alert = QuicTlsAlert::MISSING_EXTENSION; // RFC 9001 §8.2
        }
    }
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    m_clientRandom = ch.random;
    m_alpn = alpn;
    m_peerServerName = ch.serverName;
    m_peerTp = std::move(ch.transportParameters);
    m_hasPeerTp = true;
    if (!Absorb(QuicTlsLevel::INITIAL, msg, size))
    {
        return;
    }

    QuicTlsServerHello sh;
    sh.random = m_config.random;
    sh.keyShare = m_config.keyShare;
    if (!Send(QuicTlsLevel::INITIAL, QuicTlsEncodeServerHello(sh)) ||
        !DeriveHandshakeSecrets(ch.keyShare, m_config.keyShare))
    {
        return;
    }

    QuicTlsEncryptedExtensions ee;
    ee.alpn = m_alpn;
    ee.transportParameters = m_config.transportParameters;
    if (!Send(QuicTlsLevel::HANDSHAKE, QuicTlsEncodeEncryptedExtensions(ee)))
    {
        return;
    }

    QuicTlsCertificate cert;
    cert.certificates.emplace_back();
    if (!QuicTlsGenerateCertificate(m_config.certificateSeed,
                                    m_config.certificateSize,
                                    m_config.serverName,
                                    cert.certificates[0]))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (!Send(QuicTlsLevel::HANDSHAKE, QuicTlsEncodeCertificate(cert)))
    {
        return;
    }

    QuicTlsSecret hash;
    QuicTlsCertificateVerify cv;
    if (!m_transcript.GetHash(hash) ||
        !QuicTlsEd25519Sign(m_config.certificateSeed,
                            QuicTlsCertificateVerifyContent(true, hash),
                            cv.signature))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (!Send(QuicTlsLevel::HANDSHAKE, QuicTlsEncodeCertificateVerify(cv)))
    {
        return;
    }

    QuicTlsSecret verifyData;
    if (!m_transcript.GetHash(hash) ||
        !QuicTlsComputeFinished(m_hsSecrets.server, hash, verifyData))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (!Send(QuicTlsLevel::HANDSHAKE, QuicTlsEncodeFinished(verifyData)) ||
        !DeriveApplicationSecrets())
    {
        return;
    }
    m_state = State::SERVER_WAIT_FINISHED;
}

void
QuicTlsHandshake::ServerOnFinished(const uint8_t* msg, size_t size)
{
    QuicTlsSecret received;
    QuicTlsAlert alert = QuicTlsDecodeFinished(msg, size, received);
    if (alert != QuicTlsAlert::NO_ALERT)
    {
        Fail(alert);
        return;
    }
    QuicTlsSecret hash;
    QuicTlsSecret expected;
    if (!m_transcript.GetHash(hash) || !QuicTlsComputeFinished(m_hsSecrets.client, hash, expected))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return;
    }
    if (CRYPTO_memcmp(received.data(), expected.data(), expected.size()) != 0)
    {
        Fail(QuicTlsAlert::DECRYPT_ERROR);
        return;
    }
    if (!Absorb(QuicTlsLevel::HANDSHAKE, msg, size))
    {
        return;
    }
    Complete();
}

bool
QuicTlsHandshake::Send(QuicTlsLevel level, const std::vector<uint8_t>& msg)
{
    if (msg.empty())
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR); // a field exceeded its length limit
        return false;
    }
    if (!m_transcript.Update(msg.data(), msg.size()))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return false;
    }
    auto& out = m_tx[static_cast<size_t>(level)];
    out.insert(out.end(), msg.begin(), msg.end());
    if (m_config.keepLogs)
    {
        m_messageLog.push_back(
            {level, static_cast<QuicTlsHandshakeType>(msg[0]), msg.size(), true});
    }
    NS_LOG_LOGIC("queued handshake type " << static_cast<unsigned>(msg[0]) << ", " << msg.size()
                                          << " bytes at " << QuicTlsLevelName(level));
    return true;
}

bool
QuicTlsHandshake::Absorb(QuicTlsLevel level, const uint8_t* msg, size_t size)
{
    if (!m_transcript.Update(msg, size))
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return false;
    }
    if (m_config.keepLogs)
    {
        m_messageLog.push_back({level, static_cast<QuicTlsHandshakeType>(msg[0]), size, false});
    }
    return true;
}

bool
QuicTlsHandshake::DeriveHandshakeSecrets(const QuicTlsKeyShare& clientShare,
                                         const QuicTlsKeyShare& serverShare)
{
    // The simulated key exchange: shared secret = SHA-256(client share || server share).
    uint8_t both[2 * QUIC_TLS_KEY_SHARE_LENGTH];
    std::memcpy(both, clientShare.data(), clientShare.size());
    std::memcpy(both + clientShare.size(), serverShare.data(), serverShare.size());
    QuicTlsSecret shared;
    QuicTlsSecret hash;
    bool ok = QuicTlsSha256(both, sizeof(both), shared) && m_transcript.GetHash(hash) &&
              QuicTlsComputeHandshakeSecrets(shared.data(),
                                             shared.size(),
                                             hash,
                                             m_handshakeSecret,
                                             m_hsSecrets);
    OPENSSL_cleanse(shared.data(), shared.size());
    if (!ok)
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return false;
    }
    m_hasHsSecrets = true;
    KeyLog("CLIENT_HANDSHAKE_TRAFFIC_SECRET", m_hsSecrets.client);
    KeyLog("SERVER_HANDSHAKE_TRAFFIC_SECRET", m_hsSecrets.server);
    if (!m_secretsCb.IsNull())
    {
        m_secretsCb(QuicTlsLevel::HANDSHAKE, m_hsSecrets);
    }
    return true;
}

bool
QuicTlsHandshake::DeriveApplicationSecrets()
{
    QuicTlsSecret hash;
    QuicTlsSecret master;
    bool ok = m_transcript.GetHash(hash) &&
              QuicTlsComputeApplicationSecrets(m_handshakeSecret, hash, master, m_apSecrets);
    OPENSSL_cleanse(master.data(), master.size());
    if (!ok)
    {
        Fail(QuicTlsAlert::INTERNAL_ERROR);
        return false;
    }
    m_hasApSecrets = true;
    KeyLog("CLIENT_TRAFFIC_SECRET_0", m_apSecrets.client);
    KeyLog("SERVER_TRAFFIC_SECRET_0", m_apSecrets.server);
    if (!m_secretsCb.IsNull())
    {
        m_secretsCb(QuicTlsLevel::APPLICATION, m_apSecrets);
    }
    return true;
}

void
QuicTlsHandshake::KeyLog(const std::string& label, const QuicTlsSecret& secret)
{
    if (!m_config.keepLogs && m_keyLogCb.IsNull())
    {
        return; // nobody wants the line: do not build it
    }
    std::string line = QuicTlsKeyLogLine(label, m_clientRandom, secret);
    if (m_config.keepLogs)
    {
        m_keyLog.push_back(line);
    }
    if (!m_keyLogCb.IsNull())
    {
        m_keyLogCb(line);
    }
}

void
QuicTlsHandshake::Fail(QuicTlsAlert alert)
{
    NS_LOG_FUNCTION(this << QuicTlsAlertName(alert));
    if (m_state == State::FAILED)
    {
        return;
    }
    m_alert = alert;
    m_error = QuicTlsAlertToTransportError(alert);
    m_state = State::FAILED;
    for (auto& tx : m_tx)
    {
        tx.clear();
    }
}

void
QuicTlsHandshake::FailTransport(QuicTransportError error)
{
    NS_LOG_FUNCTION(this << QuicTransportErrorName(error));
    if (m_state == State::FAILED)
    {
        return;
    }
    m_alert = QuicTlsAlert::NO_ALERT;
    m_error = error;
    m_state = State::FAILED;
    for (auto& tx : m_tx)
    {
        tx.clear();
    }
}

void
QuicTlsHandshake::Complete()
{
    NS_LOG_FUNCTION(this);
    m_state = State::CONNECTED;
    m_complete = true;
    if (!m_completeCb.IsNull())
    {
        m_completeCb();
    }
}

QuicTlsPostHandshake
QuicTlsHandshake::GetPostHandshake() const
{
    QuicTlsPostHandshake post(m_role, m_config.maxMessageSize);
    if (m_state == State::FAILED)
    {
        post.m_failed = true;
        post.m_alert = m_alert;
        post.m_error = m_error;
    }
    else if (m_state != State::CONNECTED)
    {
        post.Fail(QuicTlsAlert::UNEXPECTED_MESSAGE);
    }
    else
    {
        post.m_rx = m_rx[static_cast<size_t>(QuicTlsLevel::APPLICATION)];
    }
    return post;
}

std::vector<uint8_t>
QuicTlsHandshake::TakeOutgoing(QuicTlsLevel level)
{
    auto idx = static_cast<size_t>(level);
    if (idx >= QUIC_TLS_LEVEL_COUNT)
    {
        return {};
    }
    std::vector<uint8_t> out;
    out.swap(m_tx[idx]);
    return out;
}

size_t
QuicTlsHandshake::GetOutgoingSize(QuicTlsLevel level) const
{
    auto idx = static_cast<size_t>(level);
    return idx < QUIC_TLS_LEVEL_COUNT ? m_tx[idx].size() : 0;
}

bool
QuicTlsHandshake::HasHandshakeSecrets() const
{
    return m_hasHsSecrets;
}

bool
QuicTlsHandshake::HasApplicationSecrets() const
{
    return m_hasApSecrets;
}

const QuicTlsTrafficSecrets&
QuicTlsHandshake::GetHandshakeSecrets() const
{
    return m_hsSecrets;
}

const QuicTlsTrafficSecrets&
QuicTlsHandshake::GetApplicationSecrets() const
{
    return m_apSecrets;
}

bool
QuicTlsHandshake::IsHandshakeComplete() const
{
    return m_complete;
}

bool
QuicTlsHandshake::HasFailed() const
{
    return m_state == State::FAILED;
}

QuicTransportError
QuicTlsHandshake::GetError() const
{
    return m_error;
}

QuicTlsAlert
QuicTlsHandshake::GetAlert() const
{
    return m_alert;
}

bool
QuicTlsHandshake::HasPeerTransportParameters() const
{
    return m_hasPeerTp;
}

const std::vector<uint8_t>&
QuicTlsHandshake::GetPeerTransportParameters() const
{
    return m_peerTp;
}

const std::string&
QuicTlsHandshake::GetAlpn() const
{
    return m_alpn;
}

const std::string&
QuicTlsHandshake::GetPeerServerName() const
{
    return m_peerServerName;
}

const QuicTlsRandom&
QuicTlsHandshake::GetClientRandom() const
{
    return m_clientRandom;
}

const std::vector<std::string>&
QuicTlsHandshake::GetKeyLogLines() const
{
    return m_keyLog;
}

const std::vector<QuicTlsMessageRecord>&
QuicTlsHandshake::GetMessageLog() const
{
    return m_messageLog;
}

} // namespace ns3

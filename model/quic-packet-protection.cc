/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-packet-protection.h"

#include <climits>
#include <cstring>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <utility>

namespace ns3
{

// clang-format off
const std::array<uint8_t, 20> QUIC_V1_INITIAL_SALT = {
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};

// clang-format on

namespace
{

// clang-format off
/// Retry integrity key of QUIC version 1 (RFC 9001 §5.8).
const uint8_t RETRY_KEY_V1[16] = {
    0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a,
    0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e};

/// Retry integrity nonce of QUIC version 1 (RFC 9001 §5.8).
const uint8_t RETRY_NONCE_V1[12] = {
    0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb};
// clang-format on

/// Prefix of every TLS 1.3 HkdfLabel label.
const char TLS13_LABEL_PREFIX[] = "tls13 ";

/// Length of TLS13_LABEL_PREFIX without its terminator.
constexpr size_t TLS13_LABEL_PREFIX_LENGTH = sizeof(TLS13_LABEL_PREFIX) - 1;

/// Owns an EVP_KDF and an EVP_KDF_CTX for one HKDF call.
class HkdfContext
{
  public:
    HkdfContext()
        : m_kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr)),
          m_ctx(m_kdf != nullptr ? EVP_KDF_CTX_new(m_kdf) : nullptr)
    {
    }

    ~HkdfContext()
    {
        EVP_KDF_CTX_free(m_ctx);
        EVP_KDF_free(m_kdf);
    }

    HkdfContext(const HkdfContext&) = delete;
    HkdfContext& operator=(const HkdfContext&) = delete;

    /**
     * \brief Run HKDF in one mode.
     * \param mode EVP_KDF_HKDF_MODE_EXTRACT_ONLY or _EXPAND_ONLY
     * \param key the IKM (extract) or PRK (expand)
     * \param keyLength its length
     * \param extra the salt (extract) or info (expand), may be null
     * \param extraLength its length
     * \param out the output
     * \param outLength its length
     * \return false on failure
     */
    bool Derive(int mode,
                const uint8_t* key,
                size_t keyLength,
                const uint8_t* extra,
                size_t extraLength,
                uint8_t* out,
                size_t outLength)
    {
        if (m_ctx == nullptr)
        {
            return false;
        }
        // An empty IKM is passed as a zero-length octet string with a valid
        // pointer: OpenSSL distinguishes a missing key from an empty one.
        static const uint8_t empty = 0;
        if (keyLength == 0)
        {
            key = &empty;
        }
        char digest[] = "SHA256";
        OSSL_PARAM params[5];
        OSSL_PARAM* p = params;
        *p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
        *p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
        *p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                 const_cast<uint8_t*>(key),
                                                 keyLength);
        if (extraLength > 0)
        {
            const char* name =
                mode == EVP_KDF_HKDF_MODE_EXTRACT_ONLY ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_INFO;
            *p++ =
                OSSL_PARAM_construct_octet_string(name, const_cast<uint8_t*>(extra), extraLength);
        }
        *p = OSSL_PARAM_construct_end();
        return EVP_KDF_derive(m_ctx, out, outLength, params) == 1;
    }

  private:
    EVP_KDF* m_kdf;     //!< the HKDF implementation
    EVP_KDF_CTX* m_ctx; //!< its context
};

/**
 * Reads (after encryption) or sets (before decryption) the AEAD tag of a context, with the
 * cipher's parameter call. Equivalent to EVP_CIPHER_CTX_ctrl() with EVP_CTRL_AEAD_GET_TAG /
 * EVP_CTRL_AEAD_SET_TAG, which in OpenSSL 3 builds this parameter and makes this call.
 * \param ctx the AEAD context
 * \param tag QUIC_AEAD_TAG_LENGTH bytes
 * \param set true to set the expected tag, false to read the computed one
 * \return true on success
 */
bool
AeadTag(EVP_CIPHER_CTX* ctx, uint8_t* tag, bool set)
{
    OSSL_PARAM params[2] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, QUIC_AEAD_TAG_LENGTH),
        OSSL_PARAM_construct_end()};
    return (set ? EVP_CIPHER_CTX_set_params(ctx, params)
                : EVP_CIPHER_CTX_get_params(ctx, params)) == 1;
}

/// \return true if a length fits OpenSSL's int-sized length arguments
bool
FitsInt(size_t n)
{
    return n <= static_cast<size_t>(INT_MAX);
}

/**
 * \brief Check that the packet-number bytes of a header are the low bytes of
 * a full packet number.
 * \param pn the Packet Number field
 * \param pnLength its length
 * \param packetNumber the full packet number
 * \return true if they match
 */
bool
EncodesPacketNumber(const uint8_t* pn, size_t pnLength, uint64_t packetNumber)
{
    uint64_t truncated = 0;
    for (size_t i = 0; i < pnLength; ++i)
    {
        truncated = (truncated << 8) | pn[i];
    }
    uint64_t mask = (uint64_t{1} << (8 * pnLength)) - 1;
    return truncated == (packetNumber & mask);
}

} // namespace

bool
QuicHkdfExtract(const uint8_t* salt,
                size_t saltLength,
                const uint8_t* ikm,
                size_t ikmLength,
                QuicSecret& prk)
{
    if ((salt == nullptr && saltLength > 0) || (ikm == nullptr && ikmLength > 0))
    {
        return false;
    }
    HkdfContext hkdf;
    return hkdf.Derive(EVP_KDF_HKDF_MODE_EXTRACT_ONLY,
                       ikm,
                       ikmLength,
                       salt,
                       saltLength,
                       prk.data(),
                       prk.size());
}

bool
QuicHkdfExpandLabel(const uint8_t* secret,
                    size_t secretLength,
                    const std::string& label,
                    const uint8_t* context,
                    size_t contextLength,
                    uint8_t* out,
                    size_t length)
{
    const size_t labelLength = TLS13_LABEL_PREFIX_LENGTH + label.size();
    if (secret == nullptr || secretLength < QUIC_SECRET_LENGTH || out == nullptr || length == 0 ||
        length > 255 * QUIC_SECRET_LENGTH || labelLength > 255 || contextLength > 255 ||
        (context == nullptr && contextLength > 0))
    {
        return false;
    }
    // HkdfLabel (RFC 8446 §7.1): uint16 length, opaque label<7..255>,
    // opaque context<0..255>.
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t n = 0;
    info[n++] = static_cast<uint8_t>(length >> 8);
    info[n++] = static_cast<uint8_t>(length);
    info[n++] = static_cast<uint8_t>(labelLength);
    std::memcpy(info + n, TLS13_LABEL_PREFIX, TLS13_LABEL_PREFIX_LENGTH);
    n += TLS13_LABEL_PREFIX_LENGTH;
    std::memcpy(info + n, label.data(), label.size());
    n += label.size();
    info[n++] = static_cast<uint8_t>(contextLength);
    if (contextLength > 0)
    {
        std::memcpy(info + n, context, contextLength);
        n += contextLength;
    }
    HkdfContext hkdf;
    return hkdf.Derive(EVP_KDF_HKDF_MODE_EXPAND_ONLY, secret, secretLength, info, n, out, length);
}

bool
QuicHkdfExpandLabel(const QuicSecret& secret, const std::string& label, uint8_t* out, size_t length)
{
    return QuicHkdfExpandLabel(secret.data(), secret.size(), label, nullptr, 0, out, length);
}

bool
QuicDeriveInitialSecrets(const QuicConnectionId& dcid,
                         QuicSecret& clientSecret,
                         QuicSecret& serverSecret)
{
    QuicSecret initial;
    bool ok = QuicHkdfExtract(QUIC_V1_INITIAL_SALT.data(),
                              QUIC_V1_INITIAL_SALT.size(),
                              dcid.Data(),
                              dcid.Length(),
                              initial) &&
              QuicHkdfExpandLabel(initial, "client in", clientSecret.data(), clientSecret.size()) &&
              QuicHkdfExpandLabel(initial, "server in", serverSecret.data(), serverSecret.size());
    OPENSSL_cleanse(initial.data(), initial.size());
    return ok;
}

bool
QuicDeriveNextSecret(const QuicSecret& secret, QuicSecret& next)
{
    QuicSecret tmp;
    if (!QuicHkdfExpandLabel(secret, "quic ku", tmp.data(), tmp.size()))
    {
        return false;
    }
    next = tmp;
    OPENSSL_cleanse(tmp.data(), tmp.size());
    return true;
}

bool
QuicDerivePacketKeys(const QuicSecret& secret, QuicPacketKeys& keys)
{
    return QuicHkdfExpandLabel(secret, "quic key", keys.key.data(), keys.key.size()) &&
           QuicHkdfExpandLabel(secret, "quic iv", keys.iv.data(), keys.iv.size()) &&
           QuicHkdfExpandLabel(secret, "quic hp", keys.hp.data(), keys.hp.size());
}

bool
QuicDeriveInitialKeys(const QuicConnectionId& dcid,
                      QuicPacketKeys& clientKeys,
                      QuicPacketKeys& serverKeys)
{
    QuicSecret client;
    QuicSecret server;
    bool ok = QuicDeriveInitialSecrets(dcid, client, server) &&
              QuicDerivePacketKeys(client, clientKeys) && QuicDerivePacketKeys(server, serverKeys);
    OPENSSL_cleanse(client.data(), client.size());
    OPENSSL_cleanse(server.data(), server.size());
    return ok;
}

bool
QuicDeriveNextPhaseKeys(const QuicSecret& secret,
                        const QuicPacketKeys& keys,
                        QuicSecret& nextSecret,
                        QuicPacketKeys& nextKeys)
{
    QuicSecret next;
    QuicPacketKeys derived;
    if (!QuicDeriveNextSecret(secret, next) ||
        !QuicHkdfExpandLabel(next, "quic key", derived.key.data(), derived.key.size()) ||
        !QuicHkdfExpandLabel(next, "quic iv", derived.iv.data(), derived.iv.size()))
    {
        return false;
    }
    derived.hp = keys.hp; // header protection keys are not updated (RFC 9001 §6)
    nextSecret = next;
    nextKeys = derived;
    OPENSSL_cleanse(next.data(), next.size());
    OPENSSL_cleanse(&derived, sizeof(derived));
    return true;
}

bool
QuicComputeNonce(const std::array<uint8_t, QUIC_AEAD_IV_LENGTH>& iv,
                 uint64_t packetNumber,
                 uint8_t nonce[QUIC_AEAD_IV_LENGTH])
{
    if (packetNumber > QUIC_MAX_PACKET_NUMBER)
    {
        return false;
    }
    // RFC 9001 §5.3: the 62-bit packet number, left-padded to the IV length in network byte
    // order, XORed with the IV: only the last 8 bytes change.
    std::memcpy(nonce, iv.data(), QUIC_AEAD_IV_LENGTH - 8);
    uint8_t* tail = nonce + QUIC_AEAD_IV_LENGTH - 8;
    const uint8_t* ivTail = iv.data() + QUIC_AEAD_IV_LENGTH - 8;
    for (size_t i = 0; i < 8; ++i)
    {
        tail[i] =
            static_cast<uint8_t>(ivTail[i] ^ static_cast<uint8_t>(packetNumber >> (56 - 8 * i)));
    }
    return true;
}

// ---------------------------------------------------------------------------
// QuicPacketProtector
// ---------------------------------------------------------------------------

QuicPacketProtector::QuicPacketProtector()
    : m_aead(nullptr),
      m_hp(nullptr),
      m_ready(false)
{
}

QuicPacketProtector::QuicPacketProtector(const QuicPacketKeys& keys)
    : QuicPacketProtector()
{
    Init(keys);
}

QuicPacketProtector::~QuicPacketProtector()
{
    Release();
}

QuicPacketProtector::QuicPacketProtector(QuicPacketProtector&& other) noexcept
    : m_aead(other.m_aead),
      m_hp(other.m_hp),
      m_iv(other.m_iv),
      m_ready(other.m_ready)
{
    other.m_aead = nullptr;
    other.m_hp = nullptr;
    other.m_ready = false;
    OPENSSL_cleanse(other.m_iv.data(), other.m_iv.size());
}

QuicPacketProtector&
QuicPacketProtector::operator=(QuicPacketProtector&& other) noexcept
{
    if (this != &other)
    {
        Release();
        m_aead = other.m_aead;
        m_hp = other.m_hp;
        m_iv = other.m_iv;
        m_ready = other.m_ready;
        other.m_aead = nullptr;
        other.m_hp = nullptr;
        other.m_ready = false;
        OPENSSL_cleanse(other.m_iv.data(), other.m_iv.size());
    }
    return *this;
}

void
QuicPacketProtector::Release()
{
    // EVP_CIPHER_CTX_free() cleanses the key schedules.
    EVP_CIPHER_CTX_free(m_aead);
    EVP_CIPHER_CTX_free(m_hp);
    m_aead = nullptr;
    m_hp = nullptr;
    m_ready = false;
    OPENSSL_cleanse(m_iv.data(), m_iv.size());
}

bool
QuicPacketProtector::Init(const QuicPacketKeys& keys)
{
    m_ready = false;
    if (m_aead == nullptr)
    {
        m_aead = EVP_CIPHER_CTX_new();
    }
    if (m_hp == nullptr)
    {
        m_hp = EVP_CIPHER_CTX_new();
    }
    if (m_aead == nullptr || m_hp == nullptr)
    {
        Release();
        return false;
    }
    // Key both contexts now; per packet only the nonce changes. The GCM
    // context serves both directions: its key schedule is the same, and the
    // direction is chosen when the nonce is set.
    if (EVP_CipherInit_ex(m_aead, EVP_aes_128_gcm(), nullptr, keys.key.data(), nullptr, 1) != 1 ||
        EVP_CIPHER_CTX_get_iv_length(m_aead) != static_cast<int>(QUIC_AEAD_IV_LENGTH) ||
        EVP_CipherInit_ex(m_hp, EVP_aes_128_ecb(), nullptr, keys.hp.data(), nullptr, 1) != 1 ||
        EVP_CIPHER_CTX_set_padding(m_hp, 0) != 1)
    {
        Release();
        return false;
    }
    m_iv = keys.iv;
    m_ready = true;
    return true;
}

bool
QuicPacketProtector::IsReady() const
{
    return m_ready;
}

bool
QuicPacketProtector::Seal(uint64_t packetNumber,
                          uint8_t* packet,
                          size_t headerLength,
                          size_t payloadLength,
                          size_t bufferSize)
{
    if (!m_ready || packet == nullptr || headerLength > bufferSize ||
        payloadLength > bufferSize - headerLength ||
        bufferSize - headerLength - payloadLength < QUIC_AEAD_TAG_LENGTH ||
        !FitsInt(headerLength) || !FitsInt(payloadLength))
    {
        return false;
    }
    uint8_t nonce[QUIC_AEAD_IV_LENGTH];
    if (!QuicComputeNonce(m_iv, packetNumber, nonce))
    {
        return false;
    }
    uint8_t* payload = packet + headerLength;
    int outLength = 0;
    if (EVP_CipherInit_ex(m_aead, nullptr, nullptr, nullptr, nonce, 1) != 1 ||
        EVP_CipherUpdate(m_aead, nullptr, &outLength, packet, static_cast<int>(headerLength)) != 1)
    {
        return false;
    }
    size_t written = 0;
    if (payloadLength > 0)
    {
        if (EVP_CipherUpdate(m_aead,
                             payload,
                             &outLength,
                             payload,
                             static_cast<int>(payloadLength)) != 1)
        {
            return false;
        }
        written = static_cast<size_t>(outLength);
    }
    // GCM is a stream mode: Update has produced everything, Final nothing.
    if (written != payloadLength ||
        EVP_CipherFinal_ex(m_aead, payload + written, &outLength) != 1 || outLength != 0 ||
        !AeadTag(m_aead, payload + payloadLength, false))
    {
        return false;
    }
    return true;
}

bool
QuicPacketProtector::Open(uint64_t packetNumber,
                          const uint8_t* packet,
                          size_t headerLength,
                          size_t packetLength,
                          uint8_t* out,
                          size_t outSize,
                          size_t& payloadLength)
{
    if (!m_ready || packet == nullptr || headerLength > packetLength ||
        packetLength - headerLength < QUIC_AEAD_TAG_LENGTH || !FitsInt(packetLength))
    {
        return false;
    }
    const size_t length = packetLength - headerLength - QUIC_AEAD_TAG_LENGTH;
    if (length > 0 && (out == nullptr || outSize < length))
    {
        return false;
    }
    const uint8_t* ciphertext = packet + headerLength;
    const uint8_t* tag = ciphertext + length;
    uint8_t nonce[QUIC_AEAD_IV_LENGTH];
    if (!QuicComputeNonce(m_iv, packetNumber, nonce))
    {
        return false;
    }
    int outLength = 0;
    bool ok =
        EVP_CipherInit_ex(m_aead, nullptr, nullptr, nullptr, nonce, 0) == 1 &&
        AeadTag(m_aead, const_cast<uint8_t*>(tag), true) &&
        EVP_CipherUpdate(m_aead, nullptr, &outLength, packet, static_cast<int>(headerLength)) == 1;
    size_t written = 0;
    if (ok && length > 0)
    {
        ok = EVP_CipherUpdate(m_aead, out, &outLength, ciphertext, static_cast<int>(length)) == 1;
        written = ok ? static_cast<size_t>(outLength) : 0;
    }
    // Final verifies the tag; with GCM it writes nothing, but give it a
    // scratch block rather than a pointer past the plaintext.
    uint8_t scratch[16];
    ok = ok && written == length && EVP_CipherFinal_ex(m_aead, scratch, &outLength) == 1 &&
         outLength == 0;
    if (!ok)
    {
        if (length > 0)
        {
            OPENSSL_cleanse(out, length);
        }
        return false;
    }
    payloadLength = length;
    return true;
}

bool
QuicPacketProtector::Open(uint64_t packetNumber,
                          uint8_t* packet,
                          size_t headerLength,
                          size_t packetLength,
                          size_t& payloadLength)
{
    if (packet == nullptr || headerLength > packetLength ||
        packetLength - headerLength < QUIC_AEAD_TAG_LENGTH)
    {
        return false;
    }
    // In-place decryption (output == input) is supported by OpenSSL's GCM.
    return Open(packetNumber,
                packet,
                headerLength,
                packetLength,
                packet + headerLength,
                packetLength - headerLength - QUIC_AEAD_TAG_LENGTH,
                payloadLength);
}

bool
QuicPacketProtector::ComputeMask(const uint8_t* sample, uint8_t mask[5])
{
    if (!m_ready || sample == nullptr)
    {
        return false;
    }
    uint8_t block[QUIC_HP_SAMPLE_LENGTH];
    int outLength = 0;
    if (EVP_CipherUpdate(m_hp,
                         block,
                         &outLength,
                         sample,
                         static_cast<int>(QUIC_HP_SAMPLE_LENGTH)) != 1 ||
        outLength != static_cast<int>(QUIC_HP_SAMPLE_LENGTH))
    {
        return false;
    }
    std::memcpy(mask, block, 5);
    return true;
}

bool
QuicPacketProtector::ApplyHeaderProtection(uint8_t* packet, size_t packetLength, size_t pnOffset)
{
    if (packet == nullptr || pnOffset == 0 || pnOffset > packetLength ||
        packetLength - pnOffset < QUIC_HP_SAMPLE_OFFSET + QUIC_HP_SAMPLE_LENGTH)
    {
        return false;
    }
    uint8_t mask[5];
    if (!ComputeMask(packet + pnOffset + QUIC_HP_SAMPLE_OFFSET, mask))
    {
        return false;
    }
    const size_t pnLength = (packet[0] & 0x03) + 1;
    packet[0] ^= mask[0] & ((packet[0] & 0x80) != 0 ? 0x0f : 0x1f);
    for (size_t i = 0; i < pnLength; ++i)
    {
        packet[pnOffset + i] ^= mask[1 + i];
    }
    return true;
}

bool
QuicPacketProtector::RemoveHeaderProtection(uint8_t* packet,
                                            size_t packetLength,
                                            size_t pnOffset,
                                            size_t& pnLength,
                                            uint64_t& truncatedPn)
{
    if (packet == nullptr || pnOffset == 0 || pnOffset > packetLength ||
        packetLength - pnOffset < QUIC_HP_SAMPLE_OFFSET + QUIC_HP_SAMPLE_LENGTH)
    {
        return false;
    }
    uint8_t mask[5];
    if (!ComputeMask(packet + pnOffset + QUIC_HP_SAMPLE_OFFSET, mask))
    {
        return false;
    }
    packet[0] ^= mask[0] & ((packet[0] & 0x80) != 0 ? 0x0f : 0x1f);
    const size_t length = (packet[0] & 0x03) + 1;
    uint64_t value = 0;
    for (size_t i = 0; i < length; ++i)
    {
        packet[pnOffset + i] ^= mask[1 + i];
        value = (value << 8) | packet[pnOffset + i];
    }
    pnLength = length;
    truncatedPn = value;
    return true;
}

bool
QuicPacketProtector::Protect(uint64_t packetNumber,
                             uint8_t* packet,
                             size_t pnOffset,
                             size_t packetLength,
                             size_t bufferSize)
{
    if (!m_ready || packet == nullptr || pnOffset == 0 || pnOffset >= packetLength ||
        packetLength > bufferSize || bufferSize - packetLength < QUIC_AEAD_TAG_LENGTH ||
        packetNumber > QUIC_MAX_PACKET_NUMBER)
    {
        return false;
    }
    const size_t pnLength = (packet[0] & 0x03) + 1;
    const size_t headerLength = pnOffset + pnLength;
    // The sample must fit in the sealed packet: pnOffset + 4 + 16 bytes.
    if (headerLength > packetLength ||
        packetLength + QUIC_AEAD_TAG_LENGTH <
            pnOffset + QUIC_HP_SAMPLE_OFFSET + QUIC_HP_SAMPLE_LENGTH ||
        !EncodesPacketNumber(packet + pnOffset, pnLength, packetNumber))
    {
        return false;
    }
    return Seal(packetNumber,
                packet,
                headerLength,
                packetLength - headerLength,
                packetLength + QUIC_AEAD_TAG_LENGTH) &&
           ApplyHeaderProtection(packet, packetLength + QUIC_AEAD_TAG_LENGTH, pnOffset);
}

bool
QuicPacketProtector::Protect(uint64_t packetNumber, std::vector<uint8_t>& packet, size_t pnOffset)
{
    const size_t length = packet.size();
    if (!m_ready || length == 0)
    {
        return false;
    }
    packet.resize(length + QUIC_AEAD_TAG_LENGTH);
    if (!Protect(packetNumber, packet.data(), pnOffset, length, packet.size()))
    {
        packet.resize(length);
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------
// Retry integrity
// ---------------------------------------------------------------------------

bool
QuicComputeRetryIntegrityTag(const QuicConnectionId& odcid,
                             const uint8_t* retry,
                             size_t retryLength,
                             uint8_t tag[QUIC_RETRY_INTEGRITY_TAG_LENGTH])
{
    if ((retry == nullptr && retryLength > 0) || !FitsInt(retryLength) || tag == nullptr)
    {
        return false;
    }
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    if (ctx == nullptr)
    {
        return false;
    }
    // Associated data: the Retry pseudo-packet, fed in pieces rather than
    // copied: ODCID Length, ODCID, then the Retry packet without its tag.
    const uint8_t odcidLength = static_cast<uint8_t>(odcid.Length());
    int outLength = 0;
    uint8_t scratch[16];
    bool ok =
        EVP_EncryptInit_ex(ctx, EVP_aes_128_gcm(), nullptr, RETRY_KEY_V1, RETRY_NONCE_V1) == 1 &&
        EVP_EncryptUpdate(ctx, nullptr, &outLength, &odcidLength, 1) == 1 &&
        (odcidLength == 0 ||
         EVP_EncryptUpdate(ctx, nullptr, &outLength, odcid.Data(), odcidLength) == 1) &&
        (retryLength == 0 ||
         EVP_EncryptUpdate(ctx, nullptr, &outLength, retry, static_cast<int>(retryLength)) == 1) &&
        EVP_EncryptFinal_ex(ctx, scratch, &outLength) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx,
                            EVP_CTRL_AEAD_GET_TAG,
                            static_cast<int>(QUIC_RETRY_INTEGRITY_TAG_LENGTH),
                            tag) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

bool
QuicVerifyRetryIntegrityTag(const QuicConnectionId& odcid, const uint8_t* retry, size_t retryLength)
{
    if (retry == nullptr || retryLength < QUIC_RETRY_INTEGRITY_TAG_LENGTH)
    {
        return false;
    }
    const size_t length = retryLength - QUIC_RETRY_INTEGRITY_TAG_LENGTH;
    uint8_t expected[QUIC_RETRY_INTEGRITY_TAG_LENGTH];
    if (!QuicComputeRetryIntegrityTag(odcid, retry, length, expected))
    {
        return false;
    }
    return CRYPTO_memcmp(expected, retry + length, QUIC_RETRY_INTEGRITY_TAG_LENGTH) == 0;
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_PROTECTION_H
#define QUIC_PACKET_PROTECTION_H

#include "quic-connection-id.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// OpenSSL's cipher context, declared here so that this header does not pull in
// the OpenSSL headers (EVP_CIPHER_CTX is a typedef of this struct).
struct evp_cipher_ctx_st;

namespace ns3
{

/**
 * \ingroup quic-migration
 * \defgroup quic-packet-protection QUIC packet protection (RFC 9001 §5)
 *
 * Key derivation (HKDF-SHA256, TLS 1.3 HKDF-Expand-Label), Initial secrets,
 * key update, AEAD_AES_128_GCM payload protection, AES-based header
 * protection and the Retry integrity tag. The cryptography is OpenSSL's
 * libcrypto; nothing here throws or aborts: every failure, whether of
 * OpenSSL or of a malformed packet, is reported with a false return.
 *
 * Packets are handled as raw bytes plus the offset of the Packet Number field
 * (pnOffset), which the header parser computes. A packet in a buffer looks
 * like this (pnLength = (packet[0] & 0x03) + 1 once header protection is
 * removed):
 *
 * \verbatim
   0          pnOffset   pnOffset+pnLength           packetLength-16  packetLength
   | header ...| PN        | payload (plaintext or ciphertext) | AEAD tag (16) |
   |<------- associated data ------>|
                           sample: [pnOffset+4, pnOffset+20)
   \endverbatim
 *
 * Sending: build the unprotected header and payload in a buffer with 16 spare
 * bytes, then QuicPacketProtector::Protect(). Receiving:
 * QuicPacketProtector::RemoveHeaderProtection() reveals the packet-number
 * length and truncated value; the caller recovers the full packet number
 * (RFC 9000 App. A.3) and calls QuicPacketProtector::Open().
 */

/// Length of a SHA-256 secret (HKDF PRK and TLS 1.3 traffic secrets).
static constexpr size_t QUIC_SECRET_LENGTH = 32;
/// AEAD_AES_128_GCM key length.
static constexpr size_t QUIC_AEAD_KEY_LENGTH = 16;
/// AEAD IV (and nonce) length.
static constexpr size_t QUIC_AEAD_IV_LENGTH = 12;
/// AEAD authentication tag length (the packet expansion).
static constexpr size_t QUIC_AEAD_TAG_LENGTH = 16;
/// AES-128 header protection key length.
static constexpr size_t QUIC_HP_KEY_LENGTH = 16;
/// Header protection sample length (RFC 9001 §5.4.2).
static constexpr size_t QUIC_HP_SAMPLE_LENGTH = 16;
/// The sample starts this many bytes after pnOffset (RFC 9001 §5.4.2).
static constexpr size_t QUIC_HP_SAMPLE_OFFSET = 4;
/// Largest packet number (RFC 9000 §12.3): 2^62 - 1.
static constexpr uint64_t QUIC_MAX_PACKET_NUMBER = 0x3fffffffffffffffULL;
/// Length of the Retry Integrity Tag (RFC 9001 §5.8).
static constexpr size_t QUIC_RETRY_INTEGRITY_TAG_LENGTH = 16;

/// The QUIC version 1 Initial salt (RFC 9001 §5.2).
extern const std::array<uint8_t, 20> QUIC_V1_INITIAL_SALT;

/// A SHA-256 secret: an HKDF PRK or a TLS 1.3 traffic secret.
using QuicSecret = std::array<uint8_t, QUIC_SECRET_LENGTH>;

/**
 * \ingroup quic-packet-protection
 * \brief HKDF-Extract with SHA-256 (RFC 5869 §2.2).
 * \param salt the salt (may be null when saltLength is 0)
 * \param saltLength its length
 * \param ikm the input keying material (may be null when ikmLength is 0)
 * \param ikmLength its length
 * \param prk receives the 32-byte pseudorandom key
 * \return false if OpenSSL fails
 */
bool QuicHkdfExtract(const uint8_t* salt,
                     size_t saltLength,
                     const uint8_t* ikm,
                     size_t ikmLength,
                     QuicSecret& prk);

/**
 * \ingroup quic-packet-protection
 * \brief TLS 1.3 HKDF-Expand-Label with SHA-256 (RFC 8446 §7.1).
 *
 * Expands secret with the HkdfLabel structure {uint16 length; opaque
 * label<7..255> = "tls13 " + label; opaque context<0..255>}. QUIC labels
 * ("quic key", "quic iv", "quic hp", "quic ku", "client in", "server in") use
 * an empty context.
 *
 * \param secret the secret (PRK)
 * \param secretLength its length (at least 32 for SHA-256)
 * \param label the label without the "tls13 " prefix (at most 249 bytes)
 * \param context the context (may be null when contextLength is 0)
 * \param contextLength its length (at most 255)
 * \param out receives length bytes
 * \param length output length (1 .. 255 * 32)
 * \return false on an out-of-range argument or an OpenSSL failure
 */
bool QuicHkdfExpandLabel(const uint8_t* secret,
                         size_t secretLength,
                         const std::string& label,
                         const uint8_t* context,
                         size_t contextLength,
                         uint8_t* out,
                         size_t length);

/**
 * \ingroup quic-packet-protection
 * \brief HKDF-Expand-Label of a 32-byte secret with an empty context.
 * \param secret the secret
 * \param label the label without the "tls13 " prefix
 * \param out receives length bytes
 * \param length output length
 * \return false on failure
 */
bool QuicHkdfExpandLabel(const QuicSecret& secret,
                         const std::string& label,
                         uint8_t* out,
                         size_t length);

/**
 * \ingroup quic-packet-protection
 * \brief Initial secrets of QUIC version 1 (RFC 9001 §5.2).
 *
 * initial_secret = HKDF-Extract(QUIC_V1_INITIAL_SALT, dcid), then
 * client = HKDF-Expand-Label(initial_secret, "client in", "", 32) and
 * server = HKDF-Expand-Label(initial_secret, "server in", "", 32).
 *
 * \param dcid the Destination Connection ID of the client's first Initial
 * \param clientSecret receives client_initial_secret
 * \param serverSecret receives server_initial_secret
 * \return false if OpenSSL fails
 */
bool QuicDeriveInitialSecrets(const QuicConnectionId& dcid,
                              QuicSecret& clientSecret,
                              QuicSecret& serverSecret);

/**
 * \ingroup quic-packet-protection
 * \brief Next-phase secret for a key update (RFC 9001 §6.1):
 * HKDF-Expand-Label(secret, "quic ku", "", 32).
 * \param secret the current traffic secret
 * \param next receives the next one (may alias secret)
 * \return false if OpenSSL fails
 */
bool QuicDeriveNextSecret(const QuicSecret& secret, QuicSecret& next);

/**
 * \ingroup quic-packet-protection
 * \brief Packet protection keys for one direction and one key phase of
 * AEAD_AES_128_GCM (RFC 9001 §5.1).
 */
struct QuicPacketKeys
{
    std::array<uint8_t, QUIC_AEAD_KEY_LENGTH> key{}; //!< AEAD key ("quic key")
    std::array<uint8_t, QUIC_AEAD_IV_LENGTH> iv{};   //!< AEAD IV ("quic iv")
    std::array<uint8_t, QUIC_HP_KEY_LENGTH> hp{};    //!< header protection key ("quic hp")
};

/**
 * \ingroup quic-packet-protection
 * \brief Derive key, IV and header protection key from a traffic secret
 * with the labels "quic key", "quic iv" and "quic hp" (RFC 9001 §5.1).
 * \param secret the traffic secret
 * \param keys receives the keys
 * \return false if OpenSSL fails
 */
bool QuicDerivePacketKeys(const QuicSecret& secret, QuicPacketKeys& keys);

/**
 * \ingroup quic-packet-protection
 * \brief Derive the keys of both directions for Initial packets.
 * \param dcid the Destination Connection ID of the client's first Initial
 * \param clientKeys receives the keys protecting client-sent Initial packets
 * \param serverKeys receives the keys protecting server-sent Initial packets
 * \return false if OpenSSL fails
 */
bool QuicDeriveInitialKeys(const QuicConnectionId& dcid,
                           QuicPacketKeys& clientKeys,
                           QuicPacketKeys& serverKeys);

/**
 * \ingroup quic-packet-protection
 * \brief Key update (RFC 9001 §6): derive the next secret with "quic ku" and
 * from it the next key and IV; the header protection key is not updated and
 * is copied from the current keys.
 * \param secret the current traffic secret
 * \param keys the current keys
 * \param nextSecret receives the next secret (keep it for the update after)
 * \param nextKeys receives the next keys
 * \return false if OpenSSL fails
 */
bool QuicDeriveNextPhaseKeys(const QuicSecret& secret,
                             const QuicPacketKeys& keys,
                             QuicSecret& nextSecret,
                             QuicPacketKeys& nextKeys);

/**
 * \ingroup quic-packet-protection
 * \brief The AEAD nonce of a packet (RFC 9001 §5.3): the IV XOR the packet
 * number left-padded to 12 bytes.
 * \param iv the IV
 * \param packetNumber the full packet number (at most 2^62-1)
 * \param nonce receives the nonce
 * \return false if packetNumber is out of range
 */
bool QuicComputeNonce(const std::array<uint8_t, QUIC_AEAD_IV_LENGTH>& iv,
                      uint64_t packetNumber,
                      uint8_t nonce[QUIC_AEAD_IV_LENGTH]);

/**
 * \ingroup quic-packet-protection
 * \brief Ready-to-use packet protection for one direction and key phase.
 *
 * Init() allocates and keys an AES-128-GCM and an AES-128-ECB OpenSSL
 * context once; on the per-packet path only the nonce is set, so that
 * protecting or unprotecting a packet does no allocation and no key
 * schedule. The same object can both seal and open (useful in tests and for
 * symmetric use); an endpoint normally keeps one for sending and one for
 * receiving per encryption level.
 *
 * Movable, not copyable; the contexts are freed by the destructor. A
 * default-constructed or moved-from protector is not ready and every
 * operation on it returns false. The contexts are modified by every
 * operation, so one protector must not be used by two threads at once.
 *
 * Cost of a 1200-byte packet (AES-NI, OpenSSL 3.0): about 0.9 us to
 * Protect() and as much to unprotect; no heap allocation per packet.
 */
class QuicPacketProtector
{
  public:
    /// A protector with no keys (IsReady() is false).
    QuicPacketProtector();

    /**
     * \brief Build and Init() in one step; check IsReady() afterwards.
     * \param keys the keys
     */
    explicit QuicPacketProtector(const QuicPacketKeys& keys);

    ~QuicPacketProtector();

    /// \param other the protector to take the contexts from
    QuicPacketProtector(QuicPacketProtector&& other) noexcept;

    /// \param other the protector to take the contexts from \return *this
    QuicPacketProtector& operator=(QuicPacketProtector&& other) noexcept;

    QuicPacketProtector(const QuicPacketProtector&) = delete;
    QuicPacketProtector& operator=(const QuicPacketProtector&) = delete;

    /**
     * \brief Install keys: allocate the contexts if needed and key them.
     * Not for the per-packet path.
     * \param keys the keys
     * \return false if OpenSSL fails (the protector is then not ready)
     */
    bool Init(const QuicPacketKeys& keys);

    /// \return true once Init() has succeeded
    bool IsReady() const;

    /**
     * \brief AEAD-protect a payload in place (RFC 9001 §5.3).
     *
     * The associated data is packet[0, headerLength) and the plaintext
     * packet[headerLength, headerLength + payloadLength), replaced by the
     * ciphertext; the 16-byte tag is written right after it.
     *
     * \param packetNumber the full packet number (nonce input)
     * \param packet the buffer
     * \param headerLength length of the unprotected header, up to and
     *        including the packet number
     * \param payloadLength plaintext length
     * \param bufferSize usable size of the buffer: at least
     *        headerLength + payloadLength + 16
     * \return false if the buffer is too small, packetNumber out of range or
     *         OpenSSL fails
     */
    bool Seal(uint64_t packetNumber,
              uint8_t* packet,
              size_t headerLength,
              size_t payloadLength,
              size_t bufferSize);

    /**
     * \brief Remove AEAD protection in place.
     *
     * Verifies the tag of packet[headerLength, packetLength) against the
     * associated data packet[0, headerLength) and decrypts the payload in
     * place. Nothing outside [headerLength, packetLength - 16) is written.
     * On failure that region is zeroed, so that no unauthenticated plaintext
     * is left behind; use the out-of-place overload to try several keys.
     *
     * \param packetNumber the full (recovered) packet number
     * \param packet the packet, its header protection already removed
     * \param headerLength pnOffset + pnLength
     * \param packetLength length of the packet, tag included
     * \param payloadLength receives the plaintext length (packetLength -
     *        headerLength - 16)
     * \return false on authentication failure, bad lengths or OpenSSL failure
     */
    bool Open(uint64_t packetNumber,
              uint8_t* packet,
              size_t headerLength,
              size_t packetLength,
              size_t& payloadLength);

    /**
     * \brief Remove AEAD protection into a separate buffer.
     *
     * As the in-place Open(), but the packet is left untouched and the
     * plaintext is written to out, which must not overlap the packet. On
     * failure out[0, packetLength - headerLength - 16) is zeroed.
     *
     * \param packetNumber the full (recovered) packet number
     * \param packet the packet, its header protection already removed
     * \param headerLength pnOffset + pnLength
     * \param packetLength length of the packet, tag included
     * \param out receives the plaintext
     * \param outSize size of out: at least packetLength - headerLength - 16
     * \param payloadLength receives the plaintext length
     * \return false on authentication failure, bad lengths or OpenSSL failure
     */
    bool Open(uint64_t packetNumber,
              const uint8_t* packet,
              size_t headerLength,
              size_t packetLength,
              uint8_t* out,
              size_t outSize,
              size_t& payloadLength);

    /**
     * \brief The 5-byte header protection mask of a sample (RFC 9001 §5.4.3):
     * the first 5 bytes of AES-ECB(hp, sample).
     * \param sample 16 bytes of ciphertext
     * \param mask receives the mask
     * \return false if OpenSSL fails or the protector is not ready
     */
    bool ComputeMask(const uint8_t* sample, uint8_t mask[5]);

    /**
     * \brief Apply header protection in place (RFC 9001 §5.4.1) to a packet
     * whose payload is already sealed.
     *
     * The packet-number length comes from the unprotected first byte; the
     * low 4 (long header) or 5 (short header) bits of the first byte and the
     * packet-number bytes are masked.
     *
     * \param packet the packet
     * \param packetLength its length (tag included)
     * \param pnOffset offset of the Packet Number field
     * \return false, leaving the packet untouched, if the packet is too short
     *         to sample (packetLength < pnOffset + 20) or OpenSSL fails
     */
    bool ApplyHeaderProtection(uint8_t* packet, size_t packetLength, size_t pnOffset);

    /**
     * \brief Remove header protection in place: the first step of
     * unprotecting a received packet.
     *
     * On success packet[0] and the packet-number bytes are unmasked. The
     * caller then recovers the full packet number from truncatedPn and
     * pnLength (RFC 9000 App. A.3) and calls Open() with headerLength =
     * pnOffset + pnLength. On a forged packet this may "succeed" with a
     * meaningless packet number; Open() then fails.
     *
     * \param packet the packet as received
     * \param packetLength its length
     * \param pnOffset offset of the Packet Number field
     * \param pnLength receives the packet-number length (1..4)
     * \param truncatedPn receives the value of the Packet Number field
     * \return false, leaving the packet untouched, if the packet is too short
     *         to sample (packetLength < pnOffset + 20) or OpenSSL fails
     */
    bool RemoveHeaderProtection(uint8_t* packet,
                                size_t packetLength,
                                size_t pnOffset,
                                size_t& pnLength,
                                uint64_t& truncatedPn);

    /**
     * \brief Seal and apply header protection, in place.
     *
     * packet[0, packetLength) holds the unprotected packet: the header with
     * its packet number at pnOffset, of (packet[0] & 0x03) + 1 bytes, then
     * the plaintext payload. A long header's Length field must already count
     * the 16-byte tag. On success the protected packet is packetLength + 16
     * bytes long.
     *
     * \param packetNumber the full packet number (its low bytes are encoded)
     * \param packet the buffer
     * \param pnOffset offset of the Packet Number field
     * \param packetLength length of the unprotected packet
     * \param bufferSize usable size of the buffer: at least packetLength + 16
     * \return false, leaving the buffer untouched, if the buffer is too small,
     *         the packet too short to sample, packetNumber out of range; or
     *         false if OpenSSL fails
     */
    bool Protect(uint64_t packetNumber,
                 uint8_t* packet,
                 size_t pnOffset,
                 size_t packetLength,
                 size_t bufferSize);

    /**
     * \brief Protect() on a vector holding the unprotected packet; the
     * vector grows by the 16-byte tag (no reallocation if its capacity
     * allows).
     * \param packetNumber the full packet number
     * \param packet the packet
     * \param pnOffset offset of the Packet Number field
     * \return false, leaving the vector unchanged, on failure
     */
    bool Protect(uint64_t packetNumber, std::vector<uint8_t>& packet, size_t pnOffset);

  private:
    /// Free both contexts.
    void Release();

    evp_cipher_ctx_st* m_aead;                       //!< AES-128-GCM, keyed
    evp_cipher_ctx_st* m_hp;                         //!< AES-128-ECB, keyed
    std::array<uint8_t, QUIC_AEAD_IV_LENGTH> m_iv{}; //!< the AEAD IV
    bool m_ready;                                    //!< Init() succeeded
};

/**
 * \ingroup quic-packet-protection
 * \brief Compute the Retry Integrity Tag (RFC 9001 §5.8).
 *
 * AES-128-GCM with the fixed version 1 key and nonce, empty plaintext, and
 * the Retry pseudo-packet (ODCID length, ODCID, Retry packet without its
 * tag) as associated data.
 *
 * \param odcid the Destination Connection ID of the Initial the Retry answers
 * \param retry the Retry packet without its tag
 * \param retryLength its length
 * \param tag receives the 16-byte tag
 * \return false if OpenSSL fails
 */
bool QuicComputeRetryIntegrityTag(const QuicConnectionId& odcid,
                                  const uint8_t* retry,
                                  size_t retryLength,
                                  uint8_t tag[QUIC_RETRY_INTEGRITY_TAG_LENGTH]);

/**
 * \ingroup quic-packet-protection
 * \brief Verify the Retry Integrity Tag of a received Retry packet.
 * \param odcid the Destination Connection ID the client sent in its Initial
 * \param retry the whole Retry packet, tag included
 * \param retryLength its length
 * \return true if the packet is long enough and its last 16 bytes are the
 *         expected tag (compared in constant time)
 */
bool QuicVerifyRetryIntegrityTag(const QuicConnectionId& odcid,
                                 const uint8_t* retry,
                                 size_t retryLength);

} // namespace ns3

#endif /* QUIC_PACKET_PROTECTION_H */

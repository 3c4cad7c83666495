/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TLS_H
#define QUIC_TLS_H

#include "quic-error.h"

#include "ns3/callback.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// OpenSSL's digest context, declared here so that this header does not pull in
// the OpenSSL headers (EVP_MD_CTX is a typedef of this struct).
struct evp_md_ctx_st;

namespace ns3
{

/**
 * \ingroup quic-migration
 * \defgroup quic-tls QUIC TLS 1.3 handshake model (RFC 8446, RFC 9001 §4, §8)
 *
 * A model of the TLS 1.3 handshake as QUIC carries it in CRYPTO frames: real
 * message syntax, real transcript hashes, the real TLS 1.3 key schedule and
 * real Finished MACs and Ed25519 signatures, but a *simulated* key exchange.
 * It exists so that simulated connections carry handshake flights of realistic
 * size and derive handshake and 1-RTT secrets that Wireshark can use (through
 * an NSS key log file) to decrypt the pcaps. **It is a model, not security.**
 * See QuicTlsHandshake for the design.
 */

/// Length of SHA-256 output: TLS 1.3 secrets, transcript hashes, Finished verify_data.
static constexpr size_t QUIC_TLS_HASH_LENGTH = 32;
/// Length of ClientHello.random / ServerHello.random (RFC 8446 §4.1.2).
static constexpr size_t QUIC_TLS_RANDOM_LENGTH = 32;
/// Length of an x25519 key share (RFC 8446 §4.2.8.2).
static constexpr size_t QUIC_TLS_KEY_SHARE_LENGTH = 32;
/// Length of an Ed25519 private key seed (RFC 8032 §5.1.5).
static constexpr size_t QUIC_TLS_ED25519_SEED_LENGTH = 32;
/// Length of the TLS handshake message header: msg_type(1) + length(3) (RFC 8446 §4).
static constexpr size_t QUIC_TLS_HANDSHAKE_HEADER_LENGTH = 4;

/// TLS_AES_128_GCM_SHA256 (RFC 8446 §B.4), the only cipher suite of the model.
static constexpr uint16_t QUIC_TLS_AES_128_GCM_SHA256 = 0x1301;
/// TLS 1.3 in supported_versions (RFC 8446 §4.2.1).
static constexpr uint16_t QUIC_TLS_VERSION_13 = 0x0304;
/// legacy_version of TLS 1.3 hellos (RFC 8446 §4.1.2).
static constexpr uint16_t QUIC_TLS_LEGACY_VERSION = 0x0303;
/// NamedGroup x25519 (RFC 8446 §4.2.7).
static constexpr uint16_t QUIC_TLS_GROUP_X25519 = 0x001d;
/// SignatureScheme ed25519 (RFC 8446 §4.2.3).
static constexpr uint16_t QUIC_TLS_SIG_ED25519 = 0x0807;
/// SignatureScheme ecdsa_secp256r1_sha256 (offered, never used by the model).
static constexpr uint16_t QUIC_TLS_SIG_ECDSA_P256_SHA256 = 0x0403;
/// SignatureScheme rsa_pss_rsae_sha256 (offered, never used by the model).
static constexpr uint16_t QUIC_TLS_SIG_RSA_PSS_RSAE_SHA256 = 0x0804;

/// A 32-byte SHA-256 value: a TLS 1.3 secret, transcript hash or verify_data.
using QuicTlsSecret = std::array<uint8_t, QUIC_TLS_HASH_LENGTH>;
/// A 32-byte hello random.
using QuicTlsRandom = std::array<uint8_t, QUIC_TLS_RANDOM_LENGTH>;
/// A 32-byte (simulated) x25519 key share.
using QuicTlsKeyShare = std::array<uint8_t, QUIC_TLS_KEY_SHARE_LENGTH>;

/**
 * \ingroup quic-tls
 * \brief TLS handshake message types used by QUIC (RFC 8446 §4, RFC 9001 §8.3).
 */
enum class QuicTlsHandshakeType : uint8_t
{
    CLIENT_HELLO = 1,         ///< ClientHello
    SERVER_HELLO = 2,         ///< ServerHello (also HelloRetryRequest)
    NEW_SESSION_TICKET = 4,   ///< NewSessionTicket (post-handshake; ignored by the model)
    END_OF_EARLY_DATA = 5,    ///< EndOfEarlyData (forbidden in QUIC, RFC 9001 §8.3)
    ENCRYPTED_EXTENSIONS = 8, ///< EncryptedExtensions
    CERTIFICATE = 11,         ///< Certificate
    CERTIFICATE_REQUEST = 13, ///< CertificateRequest (never sent by the model)
    CERTIFICATE_VERIFY = 15,  ///< CertificateVerify
    FINISHED = 20,            ///< Finished
    KEY_UPDATE = 24,          ///< KeyUpdate (forbidden in QUIC, RFC 9001 §6)
};

/**
 * \ingroup quic-tls
 * \brief TLS extension types used by the model (RFC 8446 §4.2, RFC 9001 §8.2).
 */
enum class QuicTlsExtensionType : uint16_t
{
    SERVER_NAME = 0,                ///< server_name (RFC 6066 §3)
    SUPPORTED_GROUPS = 10,          ///< supported_groups
    SIGNATURE_ALGORITHMS = 13,      ///< signature_algorithms
    ALPN = 16,                      ///< application_layer_protocol_negotiation (RFC 7301)
    PRE_SHARED_KEY = 41,            ///< pre_shared_key (never sent by the model)
    SUPPORTED_VERSIONS = 43,        ///< supported_versions
    KEY_SHARE = 51,                 ///< key_share
    QUIC_TRANSPORT_PARAMETERS = 57, ///< quic_transport_parameters, 0x39 (RFC 9001 §8.2)
};

/**
 * \ingroup quic-tls
 * \brief TLS alert descriptions the model raises (RFC 8446 §6).
 *
 * A fatal alert becomes the QUIC transport error 0x0100 + alert (RFC 9001 §4.8);
 * see QuicTlsAlertToTransportError(). NO_ALERT (0, the value of close_notify,
 * which QUIC never sends) means success in the return values of this module.
 */
enum class QuicTlsAlert : uint8_t
{
    NO_ALERT = 0,                  ///< success
    UNEXPECTED_MESSAGE = 10,       ///< message of the wrong type or at the wrong level
    HANDSHAKE_FAILURE = 40,        ///< no acceptable parameters
    BAD_CERTIFICATE = 42,          ///< certificate does not parse
    UNSUPPORTED_CERTIFICATE = 43,  ///< certificate key is not Ed25519
    ILLEGAL_PARAMETER = 47,        ///< syntactically valid field with a forbidden value
    DECODE_ERROR = 50,             ///< message does not parse
    DECRYPT_ERROR = 51,            ///< wrong signature or wrong Finished
    PROTOCOL_VERSION = 70,         ///< peer does not speak TLS 1.3
    INTERNAL_ERROR = 80,           ///< local failure (OpenSSL)
    MISSING_EXTENSION = 109,       ///< mandatory extension absent
    UNSUPPORTED_EXTENSION = 110,   ///< extension that was not offered
    NO_APPLICATION_PROTOCOL = 120, ///< no common ALPN protocol (RFC 9001 §8.1)
};

/**
 * \ingroup quic-tls
 * \brief Name of an alert, e.g. "decode_error" (RFC 8446 §6 spelling).
 * \param alert the alert
 * \return the name, or "alert(N)" for values outside the enumeration
 */
std::string QuicTlsAlertName(QuicTlsAlert alert);

/**
 * \ingroup quic-tls
 * \brief The QUIC transport error of a TLS alert: CRYPTO_ERROR 0x0100 + alert (RFC 9001 §4.8).
 * \param alert the alert
 * \return the error code; NO_ERROR for NO_ALERT
 */
QuicTransportError QuicTlsAlertToTransportError(QuicTlsAlert alert);

/**
 * \ingroup quic-tls
 * \brief Encryption levels that carry CRYPTO frames (RFC 9001 §4).
 *
 * The values match the packet number spaces (Initial 0, Handshake 1,
 * application data 2) so that they can index per-space arrays.
 */
enum class QuicTlsLevel : uint8_t
{
    INITIAL = 0,     ///< Initial packets
    HANDSHAKE = 1,   ///< Handshake packets
    APPLICATION = 2, ///< 1-RTT packets (post-handshake messages)
};

/// Number of QuicTlsLevel values, for per-level arrays.
static constexpr size_t QUIC_TLS_LEVEL_COUNT = 3;

/**
 * \ingroup quic-tls
 * \brief Name of an encryption level: "Initial", "Handshake" or "Application".
 * \param level the level
 * \return the name
 */
const char* QuicTlsLevelName(QuicTlsLevel level);

/**
 * \ingroup quic-tls
 * \brief The client and server traffic secrets of one encryption level.
 */
struct QuicTlsTrafficSecrets
{
    QuicTlsSecret client{}; ///< client_*_traffic_secret (protects client-to-server packets)
    QuicTlsSecret server{}; ///< server_*_traffic_secret (protects server-to-client packets)
};

// ---------------------------------------------------------------------------
// Key schedule (RFC 8446 §7.1), SHA-256 only.
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-tls
 * \brief SHA-256 of a byte range.
 * \param data the bytes (may be null when size is 0)
 * \param size their count
 * \param out receives the digest
 * \return false if OpenSSL fails
 */
bool QuicTlsSha256(const uint8_t* data, size_t size, QuicTlsSecret& out);

/**
 * \ingroup quic-tls
 * \brief HKDF-Extract with SHA-256 (RFC 5869 §2.2).
 * \param salt the salt (may be null when saltLength is 0: a zero salt is used)
 * \param saltLength its length
 * \param ikm input keying material (may be null when ikmLength is 0)
 * \param ikmLength its length
 * \param prk receives the pseudorandom key
 * \return false if OpenSSL fails
 */
bool QuicTlsHkdfExtract(const uint8_t* salt,
                        size_t saltLength,
                        const uint8_t* ikm,
                        size_t ikmLength,
                        QuicTlsSecret& prk);

/**
 * \ingroup quic-tls
 * \brief HKDF-Expand-Label with SHA-256 (RFC 8446 §7.1).
 *
 * HKDF-Expand(secret, HkdfLabel, length) with HkdfLabel = {uint16 length;
 * opaque label<7..255> = "tls13 " + label; opaque context<0..255>}.
 *
 * \param secret the secret (32 bytes)
 * \param label the label without the "tls13 " prefix (at most 249 bytes)
 * \param context the context (may be null when contextLength is 0)
 * \param contextLength its length (at most 255)
 * \param out receives length bytes
 * \param length output length (1 .. 255 * 32)
 * \return false on an out-of-range argument or an OpenSSL failure
 */
bool QuicTlsHkdfExpandLabel(const QuicTlsSecret& secret,
                            const std::string& label,
                            const uint8_t* context,
                            size_t contextLength,
                            uint8_t* out,
                            size_t length);

/**
 * \ingroup quic-tls
 * \brief Derive-Secret(secret, label, messages) given Transcript-Hash(messages) (RFC 8446 §7.1).
 * \param secret the secret
 * \param label the label without the "tls13 " prefix
 * \param transcriptHash the transcript hash of the messages
 * \param out receives the derived secret
 * \return false if OpenSSL fails
 */
bool QuicTlsDeriveSecret(const QuicTlsSecret& secret,
                         const std::string& label,
                         const QuicTlsSecret& transcriptHash,
                         QuicTlsSecret& out);

/**
 * \ingroup quic-tls
 * \brief The handshake stage of the TLS 1.3 key schedule without PSK (RFC 8446 §7.1).
 *
 * early_secret = HKDF-Extract(0, 0^32); handshake_secret =
 * HKDF-Extract(Derive-Secret(early_secret, "derived", ""), shared secret);
 * client/server handshake traffic secrets = Derive-Secret(handshake_secret,
 * "c hs traffic" / "s hs traffic", ClientHello..ServerHello).
 *
 * \param sharedSecret the (EC)DHE shared secret
 * \param sharedSecretLength its length
 * \param helloHash Transcript-Hash(ClientHello, ServerHello)
 * \param handshakeSecret receives handshake_secret
 * \param secrets receives the handshake traffic secrets
 * \return false if OpenSSL fails
 */
bool QuicTlsComputeHandshakeSecrets(const uint8_t* sharedSecret,
                                    size_t sharedSecretLength,
                                    const QuicTlsSecret& helloHash,
                                    QuicTlsSecret& handshakeSecret,
                                    QuicTlsTrafficSecrets& secrets);

/**
 * \ingroup quic-tls
 * \brief The application stage of the key schedule (RFC 8446 §7.1).
 *
 * master_secret = HKDF-Extract(Derive-Secret(handshake_secret, "derived", ""),
 * 0^32); client/server application traffic secrets = Derive-Secret(master_secret,
 * "c ap traffic" / "s ap traffic", ClientHello..server Finished).
 *
 * \param handshakeSecret handshake_secret
 * \param serverFinishedHash Transcript-Hash(ClientHello .. server Finished)
 * \param masterSecret receives master_secret
 * \param secrets receives client/server_application_traffic_secret_0
 * \return false if OpenSSL fails
 */
bool QuicTlsComputeApplicationSecrets(const QuicTlsSecret& handshakeSecret,
                                      const QuicTlsSecret& serverFinishedHash,
                                      QuicTlsSecret& masterSecret,
                                      QuicTlsTrafficSecrets& secrets);

/**
 * \ingroup quic-tls
 * \brief Finished verify_data (RFC 8446 §4.4.4).
 *
 * finished_key = HKDF-Expand-Label(baseKey, "finished", "", 32);
 * verify_data = HMAC-SHA256(finished_key, transcriptHash).
 *
 * \param baseKey the sender's handshake traffic secret
 * \param transcriptHash the transcript hash up to (excluding) the Finished
 * \param verifyData receives verify_data
 * \return false if OpenSSL fails
 */
bool QuicTlsComputeFinished(const QuicTlsSecret& baseKey,
                            const QuicTlsSecret& transcriptHash,
                            QuicTlsSecret& verifyData);

/**
 * \ingroup quic-tls
 * \brief The content covered by a CertificateVerify signature (RFC 8446 §4.4.3).
 *
 * 64 bytes of 0x20, the context string "TLS 1.3, server CertificateVerify"
 * (or "client"), a zero byte, then the transcript hash.
 *
 * \param server true for the server's context string
 * \param transcriptHash Transcript-Hash(Handshake Context, Certificate)
 * \return the bytes to sign
 */
std::vector<uint8_t> QuicTlsCertificateVerifyContent(bool server,
                                                     const QuicTlsSecret& transcriptHash);

/**
 * \ingroup quic-tls
 * \brief NSS key log line: "<LABEL> <client random hex> <secret hex>".
 * \param label e.g. "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
 * \param clientRandom ClientHello.random
 * \param secret the secret
 * \return the line, without a trailing newline
 */
std::string QuicTlsKeyLogLine(const std::string& label,
                              const QuicTlsRandom& clientRandom,
                              const QuicTlsSecret& secret);

/**
 * \ingroup quic-tls
 * \brief Incremental TLS 1.3 transcript hash (SHA-256, RFC 8446 §4.4.1).
 *
 * Owns an OpenSSL digest context; GetHash() finalises a copy, so the transcript
 * keeps growing after each query and no message is hashed twice.
 */
class QuicTlsTranscript
{
  public:
    /// Start with the empty transcript.
    QuicTlsTranscript();
    /// Free the digest context.
    ~QuicTlsTranscript();
    /// Not copyable (owns an OpenSSL context).
    QuicTlsTranscript(const QuicTlsTranscript&) = delete;
    /// Not copyable (owns an OpenSSL context).
    /// \return *this
    QuicTlsTranscript& operator=(const QuicTlsTranscript&) = delete;

    /**
     * \brief Append handshake message bytes (header included) to the transcript.
     * \param data the bytes
     * \param size their count
     * \return false if OpenSSL fails
     */
    bool Update(const uint8_t* data, size_t size);

    /**
     * \brief Transcript-Hash of everything appended so far.
     * \param out receives the hash
     * \return false if OpenSSL fails
     */
    bool GetHash(QuicTlsSecret& out) const;

    /// \brief Restart from the empty transcript.
    void Reset();

  private:
    evp_md_ctx_st* m_ctx; //!< running SHA-256 context (null if allocation failed)
};

// ---------------------------------------------------------------------------
// Handshake messages (RFC 8446 §4). Encoders return the whole message, header
// included; decoders take the whole message and check the header.
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-tls
 * \brief Read the 4-byte handshake message header.
 * \param data the bytes
 * \param size their count
 * \param type receives msg_type (any value)
 * \param length receives the body length (24 bits)
 * \return false if fewer than 4 bytes are given
 */
bool QuicTlsReadHandshakeHeader(const uint8_t* data, size_t size, uint8_t& type, uint32_t& length);

/**
 * \ingroup quic-tls
 * \brief ClientHello (RFC 8446 §4.1.2) with the extensions a QUIC client sends.
 *
 * The defaults are what the model's client offers. Decoding fills every field
 * from the message; list fields stay empty when the extension is absent.
 */
struct QuicTlsClientHello
{
    uint16_t legacyVersion = QUIC_TLS_LEGACY_VERSION; ///< legacy_version
    QuicTlsRandom random{};                           ///< random
    std::vector<uint8_t> legacySessionId;             ///< empty in QUIC (RFC 9001 §8.4)
    std::vector<uint16_t> cipherSuites{QUIC_TLS_AES_128_GCM_SHA256}; ///< cipher_suites
    std::vector<uint8_t> compressionMethods{0};                      ///< legacy_compression_methods
    std::string serverName; ///< server_name host_name (empty: absent)
    std::vector<uint16_t> supportedGroups{QUIC_TLS_GROUP_X25519}; ///< supported_groups
    std::vector<uint16_t> signatureAlgorithms{QUIC_TLS_SIG_ED25519,
                                              QUIC_TLS_SIG_ECDSA_P256_SHA256,
                                              QUIC_TLS_SIG_RSA_PSS_RSAE_SHA256}; ///< sig algs
    std::vector<std::string> alpn; ///< ALPN protocol names (empty: absent)
    std::vector<uint16_t> supportedVersions{QUIC_TLS_VERSION_13}; ///< supported_versions
    bool hasKeyShare = true;                  ///< key_share holds an x25519 entry (always encoded)
    QuicTlsKeyShare keyShare{};               ///< the x25519 key_exchange bytes
    bool hasTransportParameters = true;       ///< quic_transport_parameters present
    std::vector<uint8_t> transportParameters; ///< its opaque body
    std::vector<uint16_t> extensionTypes;     ///< decode only: extension types in wire order
};

/**
 * \ingroup quic-tls
 * \brief Encode a ClientHello.
 * \param hello the fields
 * \return the message, or an empty vector if a field exceeds its length limit
 */
std::vector<uint8_t> QuicTlsEncodeClientHello(const QuicTlsClientHello& hello);

/**
 * \ingroup quic-tls
 * \brief Decode a ClientHello. Checks syntax and the TLS 1.3 rules that need no
 * state (duplicate extensions, compression methods, x25519 share length); the
 * QUIC rules (ALPN, transport parameters) are left to QuicTlsHandshake.
 * \param data the message (header included)
 * \param size its length
 * \param hello receives the fields
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE, ILLEGAL_PARAMETER
 */
QuicTlsAlert QuicTlsDecodeClientHello(const uint8_t* data, size_t size, QuicTlsClientHello& hello);

/**
 * \ingroup quic-tls
 * \brief ServerHello (RFC 8446 §4.1.3).
 */
struct QuicTlsServerHello
{
    uint16_t legacyVersion = QUIC_TLS_LEGACY_VERSION;   ///< legacy_version
    QuicTlsRandom random{};                             ///< random
    std::vector<uint8_t> legacySessionIdEcho;           ///< legacy_session_id_echo
    uint16_t cipherSuite = QUIC_TLS_AES_128_GCM_SHA256; ///< cipher_suite
    uint8_t compressionMethod = 0;                      ///< legacy_compression_method
    uint16_t selectedVersion = QUIC_TLS_VERSION_13;     ///< supported_versions (0: absent)
    bool helloRetryRequest = false;                     ///< decode only: random is the HRR value
    bool hasKeyShare = true;                            ///< key_share present
    uint16_t keyShareGroup = QUIC_TLS_GROUP_X25519;     ///< its group
    QuicTlsKeyShare keyShare{};                         ///< its x25519 key_exchange bytes
    std::vector<uint16_t> otherExtensions;              ///< decode only: any other extension types
};

/**
 * \ingroup quic-tls
 * \brief Encode a ServerHello (supported_versions, then key_share).
 * \param hello the fields
 * \return the message, or an empty vector if a field exceeds its length limit
 */
std::vector<uint8_t> QuicTlsEncodeServerHello(const QuicTlsServerHello& hello);

/**
 * \ingroup quic-tls
 * \brief Decode a ServerHello (or a HelloRetryRequest, flagged).
 * \param data the message (header included)
 * \param size its length
 * \param hello receives the fields
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE, ILLEGAL_PARAMETER
 */
QuicTlsAlert QuicTlsDecodeServerHello(const uint8_t* data, size_t size, QuicTlsServerHello& hello);

/**
 * \ingroup quic-tls
 * \brief EncryptedExtensions (RFC 8446 §4.3.1) with ALPN and transport parameters.
 */
struct QuicTlsEncryptedExtensions
{
    std::string alpn;                         ///< the selected protocol (empty: absent)
    bool hasTransportParameters = true;       ///< quic_transport_parameters present
    std::vector<uint8_t> transportParameters; ///< its opaque body
    std::vector<uint16_t> otherExtensions;    ///< decode only: any other extension types
};

/**
 * \ingroup quic-tls
 * \brief Encode EncryptedExtensions.
 * \param ee the fields
 * \return the message, or an empty vector if a field exceeds its length limit
 */
std::vector<uint8_t> QuicTlsEncodeEncryptedExtensions(const QuicTlsEncryptedExtensions& ee);

/**
 * \ingroup quic-tls
 * \brief Decode EncryptedExtensions. Extensions forbidden there (key_share,
 * supported_versions, signature_algorithms, pre_shared_key) give ILLEGAL_PARAMETER.
 * \param data the message (header included)
 * \param size its length
 * \param ee receives the fields
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE, ILLEGAL_PARAMETER
 */
QuicTlsAlert QuicTlsDecodeEncryptedExtensions(const uint8_t* data,
                                              size_t size,
                                              QuicTlsEncryptedExtensions& ee);

/**
 * \ingroup quic-tls
 * \brief Certificate (RFC 8446 §4.4.2), X.509 entries without per-entry extensions.
 */
struct QuicTlsCertificate
{
    std::vector<uint8_t> requestContext;            ///< certificate_request_context
    std::vector<std::vector<uint8_t>> certificates; ///< DER certificates, end-entity first
};

/**
 * \ingroup quic-tls
 * \brief Encode a Certificate message.
 * \param certificate the fields
 * \return the message, or an empty vector if a field exceeds its length limit
 */
std::vector<uint8_t> QuicTlsEncodeCertificate(const QuicTlsCertificate& certificate);

/**
 * \ingroup quic-tls
 * \brief Decode a Certificate message (framing only; the DER is not parsed).
 * \param data the message (header included)
 * \param size its length
 * \param certificate receives the fields
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE
 */
QuicTlsAlert QuicTlsDecodeCertificate(const uint8_t* data,
                                      size_t size,
                                      QuicTlsCertificate& certificate);

/**
 * \ingroup quic-tls
 * \brief CertificateVerify (RFC 8446 §4.4.3).
 */
struct QuicTlsCertificateVerify
{
    uint16_t algorithm = QUIC_TLS_SIG_ED25519; ///< SignatureScheme
    std::vector<uint8_t> signature;            ///< the signature
};

/**
 * \ingroup quic-tls
 * \brief Encode CertificateVerify.
 * \param cv the fields
 * \return the message, or an empty vector if the signature is too long
 */
std::vector<uint8_t> QuicTlsEncodeCertificateVerify(const QuicTlsCertificateVerify& cv);

/**
 * \ingroup quic-tls
 * \brief Decode CertificateVerify.
 * \param data the message (header included)
 * \param size its length
 * \param cv receives the fields
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE
 */
QuicTlsAlert QuicTlsDecodeCertificateVerify(const uint8_t* data,
                                            size_t size,
                                            QuicTlsCertificateVerify& cv);

/**
 * \ingroup quic-tls
 * \brief Encode Finished (RFC 8446 §4.4.4).
 * \param verifyData verify_data
 * \return the message (36 bytes)
 */
std::vector<uint8_t> QuicTlsEncodeFinished(const QuicTlsSecret& verifyData);

/**
 * \ingroup quic-tls
 * \brief Decode Finished; the body must be exactly 32 bytes (SHA-256).
 * \param data the message (header included)
 * \param size its length
 * \param verifyData receives verify_data
 * \return NO_ALERT, or DECODE_ERROR, UNEXPECTED_MESSAGE
 */
QuicTlsAlert QuicTlsDecodeFinished(const uint8_t* data, size_t size, QuicTlsSecret& verifyData);

// ---------------------------------------------------------------------------
// Certificates and signatures.
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-tls
 * \brief A deterministic self-signed Ed25519 X.509 v3 certificate of a chosen size.
 *
 * The key pair is the Ed25519 key whose private seed is \p seed. Subject and
 * issuer are CN=\p name (first 64 characters); validity is fixed (2024-01-01 to
 * 2034-01-01); the serial number comes from SHA-256(seed); extensions are
 * basicConstraints (CA:FALSE), keyUsage (digitalSignature), extKeyUsage
 * (serverAuth) and subjectAltName. The subjectAltName holds DNS:\p name and then
 * as many padding names ("p000001.xxx...x.invalid", under the reserved .invalid
 * TLD) as it takes for the DER encoding to reach \p targetSize bytes: a large
 * SAN list is what makes real certificates (CDN, multi-tenant) big, and
 * Wireshark decodes it without complaint. The size is met within 2 bytes, except
 * below the size of the certificate without padding (about 290 bytes plus twice
 * the name length), which is then returned as is, and less than 19 bytes above
 * it (the shortest padding name takes 19 bytes).
 * Ed25519 signatures are deterministic, so the same arguments give the same
 * bytes. Results are cached per (seed, size, name).
 *
 * \param seed the Ed25519 private key seed
 * \param targetSize the wanted DER size in bytes (clamped to 60000)
 * \param name the DNS name (empty: "quic-migration.ns3")
 * \param der receives the DER encoding
 * \return false if OpenSSL fails
 */
bool QuicTlsGenerateCertificate(const std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH>& seed,
                                size_t targetSize,
                                const std::string& name,
                                std::vector<uint8_t>& der);

/**
 * \ingroup quic-tls
 * \brief Empty the cache of QuicTlsGenerateCertificate() (tests use it to check determinism).
 */
void QuicTlsClearCertificateCache();

/**
 * \ingroup quic-tls
 * \brief Ed25519 signature (RFC 8032) with the key of a seed.
 * \param seed the private key seed
 * \param message the message
 * \param signature receives the 64-byte signature
 * \return false if OpenSSL fails
 */
bool QuicTlsEd25519Sign(const std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH>& seed,
                        const std::vector<uint8_t>& message,
                        std::vector<uint8_t>& signature);

/**
 * \ingroup quic-tls
 * \brief Verify an Ed25519 signature with the public key of a DER certificate.
 * \param certificateDer the certificate
 * \param message the signed message
 * \param signature the signature
 * \return NO_ALERT if it verifies; BAD_CERTIFICATE if the certificate does not
 *         parse, UNSUPPORTED_CERTIFICATE if its key is not Ed25519, DECRYPT_ERROR
 *         if the signature is wrong
 */
QuicTlsAlert QuicTlsEd25519Verify(const std::vector<uint8_t>& certificateDer,
                                  const std::vector<uint8_t>& message,
                                  const std::vector<uint8_t>& signature);

// ---------------------------------------------------------------------------
// The handshake state machine.
// ---------------------------------------------------------------------------

/**
 * \ingroup quic-tls
 * \brief Role of a QuicTlsHandshake.
 */
enum class QuicTlsRole : uint8_t
{
    CLIENT, ///< sends ClientHello
    SERVER, ///< answers it
};

/**
 * \ingroup quic-tls
 * \brief Configuration of one QuicTlsHandshake, including all its randomness.
 *
 * Nothing in QuicTlsHandshake draws random numbers: the caller fills random,
 * keyShare and certificateSeed from ns-3 random streams, so runs are
 * reproducible.
 */
struct QuicTlsConfig
{
    QuicTlsRandom random{};     ///< this side's hello random
    QuicTlsKeyShare keyShare{}; ///< this side's simulated x25519 share
    /// Client: ALPN protocols offered, in order. Server: protocols accepted, in
    /// server preference order (RFC 7301 §3.2). Must not be empty.
    std::vector<std::string> alpn{"hq-interop"};
    /// Client: server_name to send (empty: none). Server: the certificate's name.
    std::string serverName;
    std::vector<uint8_t> transportParameters; ///< encoded quic_transport_parameters body
    /// Server: Ed25519 private key seed of the certificate (fixed per server).
    std::array<uint8_t, QUIC_TLS_ED25519_SEED_LENGTH> certificateSeed{};
    size_t certificateSize = 1000; ///< server: DER size of the certificate in bytes
    /// Largest incoming handshake message accepted; a larger length field is
    /// CRYPTO_BUFFER_EXCEEDED (bounds the reassembly buffer, RFC 9000 §7.5).
    size_t maxMessageSize = 65536;
    /// Keep the NSS key log lines and the message records (GetKeyLogLines(),
    /// GetMessageLog()). A QuicConnection turns this off, so that an established
    /// connection holds neither; the key log callback is called either way.
    bool keepLogs = true;
};

/**
 * \ingroup quic-tls
 * \brief One handshake message sent or received, for traces and tests.
 */
struct QuicTlsMessageRecord
{
    QuicTlsLevel level;        ///< encryption level it travelled at
    QuicTlsHandshakeType type; ///< message type
    size_t size;               ///< size including the 4-byte header
    bool sent;                 ///< true if sent, false if received
};

/**
 * \ingroup quic-migration
 * \brief The TLS side of a connection once the handshake is over and its state freed: what
 * QuicTlsHandshake does with CRYPTO data after completion, without the handshake state
 * (transcript, secrets, buffers, configuration), so that an established connection keeps a
 * few dozen bytes of TLS state instead of the whole handshake object.
 *
 * Post-handshake messages travel at the 1-RTT level only (RFC 9001 §4.1.3): a
 * NewSessionTicket sent to a client is accepted and forgotten; anything else (KeyUpdate
 * included, RFC 9001 §6) is unexpected_message, as is CRYPTO data at another level; a
 * message longer than the bound is CRYPTO_BUFFER_EXCEEDED (RFC 9000 §7.5). These are the
 * rules of QuicTlsHandshake in its complete state, with the same error codes. After an
 * error the object is inert.
 */
class QuicTlsPostHandshake
{
  public:
    /**
     * \param role this side's role (only a client accepts NewSessionTicket)
     * \param maxMessageSize largest incoming message accepted (QuicTlsConfig)
     */
    explicit QuicTlsPostHandshake(QuicTlsRole role = QuicTlsRole::CLIENT,
                                  size_t maxMessageSize = 65536);

    /**
     * \brief Deliver in-order CRYPTO bytes received at a level.
     * \param level the encryption level of the packets that carried them
     * \param data the bytes
     * \param size their count
     * \return NO_ERROR, or the error (stored; see GetError())
     */
    QuicTransportError ReceiveCrypto(QuicTlsLevel level, const uint8_t* data, size_t size);

    /// \return true after a fatal error
    bool HasFailed() const;
    /// \return the fatal error, NO_ERROR if none
    QuicTransportError GetError() const;
    /// \return the TLS alert behind the error (NO_ALERT for non-alert errors)
    QuicTlsAlert GetAlert() const;

  private:
    friend class QuicTlsHandshake;

    /// \param alert the fatal alert to record
    void Fail(QuicTlsAlert alert);
    /// \param error the fatal transport error to record
    void FailTransport(QuicTransportError error);

    QuicTlsRole m_role;         //!< client or server
    bool m_failed;              //!< a fatal error happened
    QuicTlsAlert m_alert;       //!< alert behind m_error
    QuicTransportError m_error; //!< fatal error, NO_ERROR if none
    size_t m_maxMessageSize;    //!< largest message accepted
    std::vector<uint8_t> m_rx;  //!< partial incoming message (1-RTT level)
};

/**
 * \ingroup quic-tls
 * \brief TLS 1.3 handshake model for one QUIC endpoint (client or server).
 *
 * **This is a model, not security.** Messages, transcript hash, key schedule,
 * Finished MACs and the server's Ed25519 CertificateVerify are real (RFC 8446),
 * but the key exchange is simulated: each side's "x25519 share" is 32 random
 * bytes from the caller, and the shared secret is SHA-256(client share ||
 * server share), which anyone who sees the hellos can compute. The secrets are
 * therefore exactly what a TLS 1.3 stack would derive *from that shared secret*,
 * so the NSS key log lines let Wireshark/tshark decrypt the simulated packets.
 *
 * What it owns: per-level receive buffers (CRYPTO bytes arrive in order but cut
 * at arbitrary points; at most one partial message, bounded by
 * QuicTlsConfig::maxMessageSize, is held per level), per-level send buffers,
 * the incremental transcript (QuicTlsTranscript), the traffic secrets and the
 * key log lines.
 *
 * The flow (RFC 9001 §4.1, "Interaction Summary between QUIC and TLS"):
 * - client: Start() queues ClientHello at Initial. ServerHello (Initial) gives
 *   the handshake secrets. EncryptedExtensions, Certificate, CertificateVerify
 *   and Finished (Handshake) are checked in turn (ALPN, transport parameters,
 *   Ed25519 signature, Finished MAC); the server Finished gives the 1-RTT
 *   secrets, and the client queues its Finished at Handshake and is complete.
 * - server: ClientHello (Initial) gives ServerHello (Initial), then
 *   EncryptedExtensions, Certificate, CertificateVerify and Finished
 *   (Handshake); handshake and 1-RTT secrets are both available after it. The
 *   client Finished (Handshake), once verified, completes the handshake.
 * - After completion, NewSessionTicket at the application level is ignored and
 *   anything else (KeyUpdate included, RFC 9001 §6) is unexpected_message.
 *
 * Handshake complete follows RFC 9001 §4.1.1 (sent Finished and verified the
 * peer's). Errors are reported, never thrown or asserted: a fatal alert becomes
 * CRYPTO_ERROR 0x0100 + alert; the few QUIC-specific cases use transport errors
 * (non-empty legacy_session_id: PROTOCOL_VIOLATION, RFC 9001 §8.4; message
 * larger than maxMessageSize: CRYPTO_BUFFER_EXCEEDED; bytes left over at a level
 * the handshake has left: PROTOCOL_VIOLATION, RFC 9001 §4.1.3). After an error
 * the object is inert.
 *
 * Left out: HelloRetryRequest (a single x25519 share is always offered, so an
 * HRR is illegal_parameter), PSK/resumption/0-RTT, session tickets, client
 * authentication, certificate chain validation (the client only checks that the
 * CertificateVerify signature matches the certificate's Ed25519 key), key
 * update, other cipher suites and groups, real ECDH.
 *
 * Callbacks run inside ReceiveCrypto() / Start() and must not call back into
 * this object's ReceiveCrypto().
 */
class QuicTlsHandshake
{
  public:
    /**
     * \param role client or server
     * \param config configuration and randomness (copied)
     */
    QuicTlsHandshake(QuicTlsRole role, const QuicTlsConfig& config);
    /// Wipe the handshake secret.
    ~QuicTlsHandshake();
    /// Not copyable (holds a transcript context).
    QuicTlsHandshake(const QuicTlsHandshake&) = delete;
    /// Not copyable (holds a transcript context).
    /// \return *this
    QuicTlsHandshake& operator=(const QuicTlsHandshake&) = delete;

    /// \return the role
    QuicTlsRole GetRole() const;

    /**
     * \brief Callback for newly available secrets: called with HANDSHAKE, then
     * with APPLICATION, and the client and server traffic secrets of that level.
     * \param cb the callback
     */
    void SetSecretsCallback(Callback<void, QuicTlsLevel, const QuicTlsTrafficSecrets&> cb);

    /**
     * \brief Callback for handshake completion (RFC 9001 §4.1.1).
     * \param cb the callback
     */
    void SetHandshakeCompleteCallback(Callback<void> cb);

    /**
     * \brief Callback for each NSS key log line (without newline) as it is produced.
     * \param cb the callback
     */
    void SetKeyLogCallback(Callback<void, const std::string&> cb);

    /**
     * \brief Replace the local quic_transport_parameters body of the configuration.
     *
     * Takes effect if called before the parameters are sent: before Start() at
     * the client, before the ClientHello is received at the server (which can
     * thus fill in original_destination_connection_id once the first Initial
     * packet is known).
     * \param transportParameters the encoded parameters (RFC 9000 §18)
     */
    void SetTransportParameters(const std::vector<uint8_t>& transportParameters);

    /**
     * \brief Client: queue the ClientHello at the Initial level. Server: no-op.
     * \return NO_ERROR, or INTERNAL_ERROR (encoding failed, e.g. transport
     *         parameters too long), or the earlier error
     */
    QuicTransportError Start();

    /**
     * \brief Deliver in-order CRYPTO bytes received at a level.
     *
     * Bytes may cut messages anywhere; complete messages are processed at once
     * and may queue bytes to send at any level.
     * \param level the encryption level of the packets that carried them
     * \param data the bytes
     * \param size their count
     * \return NO_ERROR, or the error (stored; see GetError())
     */
    QuicTransportError ReceiveCrypto(QuicTlsLevel level, const uint8_t* data, size_t size);

    /**
     * \brief Take the bytes queued for sending at a level (to go into CRYPTO frames).
     * \param level the level
     * \return the bytes (the queue is emptied)
     */
    std::vector<uint8_t> TakeOutgoing(QuicTlsLevel level);

    /**
     * \param level the level
     * \return number of bytes queued at that level
     */
    size_t GetOutgoingSize(QuicTlsLevel level) const;

    /// \return true once the handshake traffic secrets exist
    bool HasHandshakeSecrets() const;
    /// \return true once the 1-RTT (application) traffic secrets exist
    bool HasApplicationSecrets() const;
    /// \return the handshake traffic secrets (zeros before HasHandshakeSecrets())
    const QuicTlsTrafficSecrets& GetHandshakeSecrets() const;
    /// \return the 1-RTT traffic secrets (zeros before HasApplicationSecrets())
    const QuicTlsTrafficSecrets& GetApplicationSecrets() const;

    /// \return true once this side sent its Finished and verified the peer's
    bool IsHandshakeComplete() const;

    /// \return true after a fatal error
    bool HasFailed() const;
    /// \return the fatal error, NO_ERROR if none
    QuicTransportError GetError() const;
    /// \return the TLS alert behind the error (NO_ALERT for non-alert errors)
    QuicTlsAlert GetAlert() const;

    /// \return true once the peer's quic_transport_parameters were received
    bool HasPeerTransportParameters() const;
    /// \return the peer's quic_transport_parameters body (empty before)
    const std::vector<uint8_t>& GetPeerTransportParameters() const;
    /// \return the negotiated ALPN protocol (empty before it is known)
    const std::string& GetAlpn() const;
    /// \return the server_name the client sent (server side; empty if none)
    const std::string& GetPeerServerName() const;
    /// \return ClientHello.random (zeros before it is known at the server)
    const QuicTlsRandom& GetClientRandom() const;

    /// \return every NSS key log line produced so far, in order (none if
    /// QuicTlsConfig::keepLogs is off)
    const std::vector<std::string>& GetKeyLogLines() const;
    /// \return every handshake message sent or received so far, in order (none if
    /// QuicTlsConfig::keepLogs is off)
    const std::vector<QuicTlsMessageRecord>& GetMessageLog() const;

    /**
     * \brief The post-handshake part of this handshake, to keep once the handshake is
     * confirmed (RFC 9001 §4.1.2) while this object, with everything only the handshake
     * needed, is destroyed. It continues where this object is: same role, message bound,
     * error and partial 1-RTT message.
     * \return the post-handshake state; before completion, an object that rejects
     *         everything like this one would (unexpected_message)
     */
    QuicTlsPostHandshake GetPostHandshake() const;

  private:
    /// Handshake progress.
    enum class State : uint8_t
    {
        CLIENT_START,         ///< client before Start()
        CLIENT_WAIT_SH,       ///< expecting ServerHello (Initial)
        CLIENT_WAIT_EE,       ///< expecting EncryptedExtensions (Handshake)
        CLIENT_WAIT_CERT,     ///< expecting Certificate (Handshake)
        CLIENT_WAIT_CV,       ///< expecting CertificateVerify (Handshake)
        CLIENT_WAIT_FINISHED, ///< expecting server Finished (Handshake)
        SERVER_WAIT_CH,       ///< expecting ClientHello (Initial)
        SERVER_WAIT_FINISHED, ///< expecting client Finished (Handshake)
        CONNECTED,            ///< complete; only post-handshake messages (1-RTT)
        FAILED,               ///< fatal error; inert
    };

    /**
     * \param level a level
     * \return true if the current state expects messages at that level
     */
    bool ExpectsLevel(QuicTlsLevel level) const;

    /**
     * \brief Process one complete message.
     * \param level its level
     * \param msg the message (header included)
     * \param size its length
     */
    void ProcessMessage(QuicTlsLevel level, const uint8_t* msg, size_t size);

    /// \copydoc ProcessMessage
    void ClientOnServerHello(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ClientOnEncryptedExtensions(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ClientOnCertificate(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ClientOnCertificateVerify(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ClientOnFinished(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ServerOnClientHello(const uint8_t* msg, size_t size);
    /// \copydoc ProcessMessage
    void ServerOnFinished(const uint8_t* msg, size_t size);

    /**
     * \brief Append a message to the transcript, the send queue and the log.
     * \param level the level to send it at
     * \param msg the message
     * \return false (after Fail) if the message is empty or hashing fails
     */
    bool Send(QuicTlsLevel level, const std::vector<uint8_t>& msg);

    /**
     * \brief Append a received message to the transcript and the log.
     * \param level its level
     * \param msg the message
     * \param size its length
     * \return false (after Fail) if hashing fails
     */
    bool Absorb(QuicTlsLevel level, const uint8_t* msg, size_t size);

    /**
     * \brief Derive the handshake secrets from the two shares and the transcript.
     * \param clientShare the client's share
     * \param serverShare the server's share
     * \return false (after Fail) on failure
     */
    bool DeriveHandshakeSecrets(const QuicTlsKeyShare& clientShare,
                                const QuicTlsKeyShare& serverShare);

    /**
     * \brief Derive the 1-RTT secrets from the transcript (which must end with
     * the server Finished).
     * \return false (after Fail) on failure
     */
    bool DeriveApplicationSecrets();

    /**
     * \brief Record a key log line and pass it to the callback.
     * \param label the NSS label
     * \param secret the secret
     */
    void KeyLog(const std::string& label, const QuicTlsSecret& secret);

    /**
     * \brief Enter FAILED with a TLS alert.
     * \param alert the alert
     */
    void Fail(QuicTlsAlert alert);

    /**
     * \brief Enter FAILED with a transport error.
     * \param error the error
     */
    void FailTransport(QuicTransportError error);

    /// Mark the handshake complete and notify.
    void Complete();

    QuicTlsRole m_role;                              //!< client or server
    QuicTlsConfig m_config;                          //!< configuration
    State m_state;                                   //!< progress
    QuicTransportError m_error;                      //!< fatal error, NO_ERROR if none
    QuicTlsAlert m_alert;                            //!< alert behind m_error
    std::vector<uint8_t> m_rx[QUIC_TLS_LEVEL_COUNT]; //!< partial incoming message per level
    std::vector<uint8_t> m_tx[QUIC_TLS_LEVEL_COUNT]; //!< bytes to send per level
    QuicTlsTranscript m_transcript;                  //!< running transcript hash
    QuicTlsRandom m_clientRandom;                    //!< ClientHello.random
    QuicTlsSecret m_handshakeSecret;                 //!< handshake_secret
    QuicTlsTrafficSecrets m_hsSecrets;               //!< handshake traffic secrets
    QuicTlsTrafficSecrets m_apSecrets;               //!< 1-RTT traffic secrets
    bool m_hasHsSecrets;                             //!< m_hsSecrets valid
    bool m_hasApSecrets;                             //!< m_apSecrets valid
    bool m_complete;                                 //!< handshake complete
    bool m_hasPeerTp;                                //!< m_peerTp valid
    std::vector<uint8_t> m_peerTp;                   //!< peer's transport parameters
    std::string m_alpn;                              //!< negotiated ALPN protocol
    std::string m_peerServerName;                    //!< SNI received (server)
    std::vector<uint8_t> m_peerCertificate;          //!< server's certificate (client)
    std::vector<std::string> m_keyLog;               //!< key log lines
    std::vector<QuicTlsMessageRecord> m_messageLog;  //!< messages sent and received
    Callback<void, QuicTlsLevel, const QuicTlsTrafficSecrets&> m_secretsCb; //!< secrets
    Callback<void> m_completeCb;                                            //!< handshake complete
    Callback<void, const std::string&> m_keyLogCb;                          //!< key log lines
};

} // namespace ns3

#endif /* QUIC_TLS_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ERROR_H
#define QUIC_ERROR_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief QUIC transport error codes (RFC 9000 §20.1).
 *
 * Decoders in the wire layer return one of these values; NO_ERROR means success.
 * The values are the codes carried in CONNECTION_CLOSE frames of type 0x1c.
 * The range 0x0100-0x01ff (CRYPTO_ERROR) carries a TLS alert in its low byte;
 * use QuicCryptoError() to build one.
 */
enum class QuicTransportError : uint64_t
{
    NO_ERROR = 0x00,
    INTERNAL_ERROR = 0x01,
    CONNECTION_REFUSED = 0x02,
    FLOW_CONTROL_ERROR = 0x03,
    STREAM_LIMIT_ERROR = 0x04,
    STREAM_STATE_ERROR = 0x05,
    FINAL_SIZE_ERROR = 0x06,
    FRAME_ENCODING_ERROR = 0x07,
    TRANSPORT_PARAMETER_ERROR = 0x08,
    CONNECTION_ID_LIMIT_ERROR = 0x09,
    PROTOCOL_VIOLATION = 0x0a,
    INVALID_TOKEN = 0x0b,
    APPLICATION_ERROR = 0x0c,
    CRYPTO_BUFFER_EXCEEDED = 0x0d,
    KEY_UPDATE_ERROR = 0x0e,
    AEAD_LIMIT_REACHED = 0x0f,
    NO_VIABLE_PATH = 0x10,
    CRYPTO_ERROR_BASE = 0x0100, ///< first code of the CRYPTO_ERROR range
};

/**
 * \brief Build a CRYPTO_ERROR code (0x0100 + TLS alert), RFC 9000 §20.1.
 * \param tlsAlert the TLS alert description
 * \return the transport error code
 */
QuicTransportError QuicCryptoError(uint8_t tlsAlert);

/**
 * \brief Whether a code lies in the CRYPTO_ERROR range 0x0100-0x01ff.
 * \param code the code
 * \return true for CRYPTO_ERROR codes
 */
bool QuicIsCryptoError(uint64_t code);

/**
 * \brief The RFC 9000 §20.1 name of a transport error code, e.g. "PROTOCOL_VIOLATION".
 *
 * Unknown codes give "UNKNOWN(0x..)"; CRYPTO_ERROR codes give "CRYPTO_ERROR(0x1..)".
 * \param code the code (any 62-bit value; it may come from the wire)
 * \return the name
 */
std::string QuicTransportErrorName(uint64_t code);

/**
 * \brief Convenience overload of QuicTransportErrorName().
 * \param error the error
 * \return the name
 */
std::string QuicTransportErrorName(QuicTransportError error);

} // namespace ns3

#endif /* QUIC_ERROR_H */

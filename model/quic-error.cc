/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-error.h"

#include <cstdio>

namespace ns3
{

QuicTransportError
QuicCryptoError(uint8_t tlsAlert)
{
    return static_cast<QuicTransportError>(
        static_cast<uint64_t>(QuicTransportError::CRYPTO_ERROR_BASE) + tlsAlert);
}

bool
QuicIsCryptoError(uint64_t code)
{
    return code >= 0x0100 && code <= 0x01ff;
}

std::string
QuicTransportErrorName(uint64_t code)
{
    static const char* const names[] = {
        "NO_ERROR",
        "INTERNAL_ERROR",
        "CONNECTION_REFUSED",
        "FLOW_CONTROL_ERROR",
        "STREAM_LIMIT_ERROR",
        "STREAM_STATE_ERROR",
        "FINAL_SIZE_ERROR",
        "FRAME_ENCODING_ERROR",
        "TRANSPORT_PARAMETER_ERROR",
        "CONNECTION_ID_LIMIT_ERROR",
        "PROTOCOL_VIOLATION",
        "INVALID_TOKEN",
        "APPLICATION_ERROR",
        "CRYPTO_BUFFER_EXCEEDED",
        "KEY_UPDATE_ERROR",
        "AEAD_LIMIT_REACHED",
        "NO_VIABLE_PATH",
    };
    char buf[48];
    if (code < sizeof(names) / sizeof(names[0]))
    {
        return names[code];
    }
    if (QuicIsCryptoError(code))
    {
        std::snprintf(buf,
                      sizeof(buf),
                      "CRYPTO_ERROR(0x%llx)",
                      static_cast<unsigned long long>(code));
        return buf;
    }
    std::snprintf(buf, sizeof(buf), "UNKNOWN(0x%llx)", static_cast<unsigned long long>(code));
    return buf;
}

std::string
QuicTransportErrorName(QuicTransportError error)
{
    return QuicTransportErrorName(static_cast<uint64_t>(error));
}

} // namespace ns3

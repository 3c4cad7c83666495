/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stateless-reset.h"

#include "ns3/log.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace
{

/// Bytes before the token in the smallest reset: 1 header byte + 4 (§10.3: 38 bits + 2 fixed).
constexpr size_t MIN_PREFIX_LENGTH = 5;

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicStatelessReset");

QuicResetToken
QuicStatelessResetToken(const uint8_t* key, size_t keyLength, const QuicConnectionId& cid)
{
    uint8_t mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    static const uint8_t emptyKey = 0;
    const uint8_t* k = (key != nullptr && keyLength > 0) ? key : &emptyKey;
    const uint8_t* result = HMAC(EVP_sha256(),
                                 k,
                                 static_cast<int>(keyLength),
                                 cid.Data(),
                                 cid.Length(),
                                 mac,
                                 &macLength);
    QuicResetToken token{};
    NS_ASSERT_MSG(result != nullptr && macLength >= token.size(), "HMAC-SHA256 failed");
    std::memcpy(token.data(), mac, token.size());
    return token;
}

QuicResetToken
QuicStatelessResetToken(const std::vector<uint8_t>& key, const QuicConnectionId& cid)
{
    return QuicStatelessResetToken(key.data(), key.size(), cid);
}

QuicStatelessResetDecision
QuicBuildStatelessReset(const uint8_t* trigger,
                        size_t triggerSize,
                        const QuicResetToken& token,
                        const QuicRandomBytes& random,
                        const QuicStatelessResetOptions& options,
                        std::vector<uint8_t>& out)
{
    out.clear();
    // The reset must be smaller than the trigger (SR-07) and at least 21 bytes (§10.3).
    if (trigger == nullptr || triggerSize < QUIC_STATELESS_RESET_MIN_LENGTH + 1)
    {
        return QuicStatelessResetDecision::TRIGGER_TOO_SMALL;
    }
    if ((trigger[0] & 0x80) != 0 && !options.m_answerLongHeader)
    {
        return QuicStatelessResetDecision::LONG_HEADER;
    }
    if (!random)
    {
        return QuicStatelessResetDecision::NO_RANDOM;
    }

    size_t length;
    if (triggerSize <= QUIC_STATELESS_RESET_SMALL_TRIGGER)
    {
        length = triggerSize - 1; // SR-05
    }
    else
    {
        size_t low = QUIC_STATELESS_RESET_SMALL_TRIGGER;
        size_t high = std::min(triggerSize - 1, std::max(options.m_maxLength, low));
        uint8_t draw[4];
        random(draw, sizeof(draw));
        uint32_t r = (uint32_t(draw[0]) << 24) | (uint32_t(draw[1]) << 16) |
                     (uint32_t(draw[2]) << 8) | uint32_t(draw[3]);
        length = low + static_cast<size_t>(r % (high - low + 1));
    }
    NS_ASSERT(length >= MIN_PREFIX_LENGTH + QUIC_RESET_TOKEN_LENGTH && length < triggerSize);

    out.resize(length);
    size_t prefix = length - QUIC_RESET_TOKEN_LENGTH;
    random(out.data(), prefix);
    out[0] = static_cast<uint8_t>(0x40 | (out[0] & 0x3f)); // SR-04: 0b01xxxxxx
    std::memcpy(out.data() + prefix, token.data(), QUIC_RESET_TOKEN_LENGTH);
    return QuicStatelessResetDecision::SEND;
}

// ---------------------------------------------------------------------------------------------
// QuicStatelessResetRateLimiter
// ---------------------------------------------------------------------------------------------

QuicStatelessResetRateLimiter::QuicStatelessResetRateLimiter(double rate,
                                                             double burst,
                                                             bool perAddress,
                                                             size_t maxAddresses)
    : m_rate(std::max(rate, 0.0)),
      m_burst(std::max(burst, 1.0)),
      m_perAddress(perAddress),
      m_maxAddresses(std::max<size_t>(maxAddresses, 1)),
      m_global{m_burst, Time(0)},
      m_allowed(0),
      m_refused(0)
{
}

void
QuicStatelessResetRateLimiter::Refill(Bucket& b, Time now) const
{
    if (now > b.m_last)
    {
        b.m_tokens = std::min(m_burst, b.m_tokens + (now - b.m_last).GetSeconds() * m_rate);
        b.m_last = now;
    }
}

bool
QuicStatelessResetRateLimiter::Allow(Time now, const Address& remote)
{
    Refill(m_global, now);
    Bucket* own = nullptr;
    if (m_perAddress)
    {
        auto it = m_byAddress.find(remote);
        if (it == m_byAddress.end())
        {
            if (m_byAddress.size() >= m_maxAddresses)
            {
                // Drop the entry refreshed least recently (bounded table, STYLE 10).
                auto oldest = m_byAddress.begin();
                for (auto j = m_byAddress.begin(); j != m_byAddress.end(); ++j)
                {
                    if (j->second.m_last < oldest->second.m_last)
                    {
                        oldest = j;
                    }
                }
                m_byAddress.erase(oldest);
            }
            it = m_byAddress.emplace(remote, Bucket{m_burst, now}).first;
        }
        own = &it->second;
        Refill(*own, now);
        own->m_last = std::max(own->m_last, now);
    }
    bool ok = m_global.m_tokens >= 1.0 && (own == nullptr || own->m_tokens >= 1.0);
    if (!ok)
    {
        ++m_refused;
        NS_LOG_LOGIC("stateless reset to " << remote << " refused by the rate limit");
        return false;
    }
    m_global.m_tokens -= 1.0;
    if (own != nullptr)
    {
        own->m_tokens -= 1.0;
    }
    ++m_allowed;
    return true;
}

uint64_t
QuicStatelessResetRateLimiter::GetAllowedCount() const
{
    return m_allowed;
}

uint64_t
QuicStatelessResetRateLimiter::GetRefusedCount() const
{
    return m_refused;
}

size_t
QuicStatelessResetRateLimiter::GetAddressCount() const
{
    return m_byAddress.size();
}

} // namespace ns3

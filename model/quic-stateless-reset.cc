/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-stateless-reset.h"

#include "ns3/log.h"

#include <algorithm>
#include <cmath>
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
// QuicStatelessResetRateLimiter (virtual scheduling form of a token bucket)
// ---------------------------------------------------------------------------------------------

QuicStatelessResetRateLimiter::QuicStatelessResetRateLimiter(double rate,
                                                             double burst,
                                                             bool perAddress,
                                                             size_t maxAddresses)
    : m_perAddress(perAddress),
      m_maxAddresses(std::max<size_t>(maxAddresses, 1)),
      m_global{std::numeric_limits<int64_t>::min(), 0},
      m_allowed(0),
      m_refused(0)
{
    double r = std::max(rate, 1e-6);
    double interval = std::min(1e9 / r, 1e15); // at most ~11.6 days per reset
    double tokens = std::min(std::max(std::floor(burst), 1.0), 1e3 * 1e3);
    m_interval = std::max<int64_t>(1, static_cast<int64_t>(std::llround(interval)));
    double tolerance = (tokens - 1.0) * static_cast<double>(m_interval);
    m_tolerance = static_cast<int64_t>(std::min(tolerance, 4e18));
}

bool
QuicStatelessResetRateLimiter::Conforms(const Bucket& b, int64_t now) const
{
    // An idle bucket (TAT in the past) is full; otherwise it holds a reset while the TAT is
    // at most `tolerance` ahead of now.
    return b.m_tat <= now || b.m_tat - now <= m_tolerance;
}

void
QuicStatelessResetRateLimiter::Take(Bucket& b, int64_t now) const
{
    b.m_tat = std::max(b.m_tat, now) + m_interval;
}

bool
QuicStatelessResetRateLimiter::Allow(Time now, const Address& remote)
{
    int64_t t = now.GetNanoSeconds();
    Bucket* own = nullptr;
    if (m_perAddress)
    {
        auto it = m_byAddress.find(remote);
        if (it == m_byAddress.end())
        {
            if (m_byAddress.size() >= m_maxAddresses)
            {
                // Drop the entry seen least recently (bounded table, STYLE 10).
                auto oldest = m_byAddress.begin();
                for (auto j = m_byAddress.begin(); j != m_byAddress.end(); ++j)
                {
                    if (j->second.m_seen < oldest->second.m_seen)
                    {
                        oldest = j;
                    }
                }
                m_byAddress.erase(oldest);
            }
            it = m_byAddress.emplace(remote, Bucket{std::numeric_limits<int64_t>::min(), t}).first;
        }
        own = &it->second;
        own->m_seen = std::max(own->m_seen, t);
    }
    if (!Conforms(m_global, t) || (own != nullptr && !Conforms(*own, t)))
    {
        ++m_refused;
        NS_LOG_LOGIC("stateless reset to " << remote << " refused by the rate limit");
        return false;
    }
    Take(m_global, t);
    if (own != nullptr)
    {
        Take(*own, t);
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

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-path-validator.h"

#include <algorithm>

namespace ns3
{

QuicPathValidator::QuicPathValidator()
    : m_state(IDLE),
      m_due(false),
      m_sent(0)
{
}

void
QuicPathValidator::Start(Time now, Time pto, Time abandonAfter, RandomBytes random)
{
    m_state = VALIDATING;
    m_outstanding.clear();
    m_random = std::move(random);
    m_pto = std::max(pto, MilliSeconds(1));
    m_nextChallenge = now;
    m_abandonAt = now + abandonAfter;
    m_start = now;
    m_end = Time(0);
    m_due = true;
    m_sent = 0;
}

QuicPathValidator::State
QuicPathValidator::GetState() const
{
    return m_state;
}

bool
QuicPathValidator::IsValidating() const
{
    return m_state == VALIDATING;
}

bool
QuicPathValidator::IsChallengeDue() const
{
    return m_state == VALIDATING && m_due;
}

QuicPathValidator::Data
QuicPathValidator::TakeChallenge(Time now)
{
    Data d{};
    if (m_random)
    {
        m_random(d.data(), d.size());
    }
    if (m_outstanding.size() >= MAX_OUTSTANDING)
    {
        m_outstanding.erase(m_outstanding.begin());
    }
    m_outstanding.push_back(d);
    m_due = false;
    ++m_sent;
    // Retries at PTO cadence with exponential backoff (RFC 9000 §8.2.1, RFC 9002 §6.2.1).
    m_nextChallenge = now + m_pto;
    m_pto = m_pto * 2;
    return d;
}

bool
QuicPathValidator::OnResponse(const Data& data, Time now)
{
    if (m_state != VALIDATING)
    {
        return false;
    }
    for (const Data& d : m_outstanding)
    {
        if (d == data)
        {
            m_state = VALIDATED;
            m_end = now;
            m_outstanding.clear();
            m_due = false;
            return true;
        }
    }
    return false;
}

bool
QuicPathValidator::OnTimer(Time now)
{
    if (m_state != VALIDATING)
    {
        return false;
    }
    if (now >= m_abandonAt)
    {
        m_state = FAILED;
        m_end = now;
        m_outstanding.clear();
        m_due = false;
        return true;
    }
    if (!m_due && now >= m_nextChallenge)
    {
        m_due = true;
    }
    return false;
}

Time
QuicPathValidator::GetDeadline() const
{
    if (m_state != VALIDATING)
    {
        return Time::Max();
    }
    return m_due ? m_abandonAt : std::min(m_nextChallenge, m_abandonAt);
}

void
QuicPathValidator::Cancel()
{
    if (m_state == VALIDATING)
    {
        m_state = IDLE;
        m_outstanding.clear();
        m_due = false;
    }
}

Time
QuicPathValidator::GetStartTime() const
{
    return m_start;
}

Time
QuicPathValidator::GetEndTime() const
{
    return m_end;
}

uint32_t
QuicPathValidator::GetChallengesSent() const
{
    return m_sent;
}

} // namespace ns3

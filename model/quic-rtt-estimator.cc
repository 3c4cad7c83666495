/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-rtt-estimator.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicRttEstimator");

Time
QuicRttEstimator::Granularity()
{
    return MilliSeconds(GRANULARITY_MS);
}

QuicRttEstimator::QuicRttEstimator()
    : QuicRttEstimator(MilliSeconds(DEFAULT_INITIAL_RTT_MS))
{
}

QuicRttEstimator::QuicRttEstimator(Time initialRtt)
    : m_initialRtt(initialRtt),
      m_hasSample(false)
{
    NS_ABORT_MSG_IF(!initialRtt.IsStrictlyPositive(), "kInitialRtt must be positive");
    Reset();
}

void
QuicRttEstimator::SetInitialRtt(Time initialRtt)
{
    NS_ABORT_MSG_IF(!initialRtt.IsStrictlyPositive(), "kInitialRtt must be positive");
    m_initialRtt = initialRtt;
}

Time
QuicRttEstimator::GetInitialRtt() const
{
    return m_initialRtt;
}

void
QuicRttEstimator::Reset()
{
    NS_LOG_FUNCTION(this << m_initialRtt);
    m_latestRtt = Time(0);
    m_minRtt = Time(0);
    m_smoothedRtt = m_initialRtt;
    m_rttVar = m_initialRtt / 2;
    m_firstSampleAt = Time(0);
    m_hasSample = false;
}

void
QuicRttEstimator::Reset(Time initialRtt)
{
    SetInitialRtt(initialRtt);
    Reset();
}

void
QuicRttEstimator::UpdateRtt(Time latestRtt,
                            Time ackDelay,
                            bool handshakeConfirmed,
                            Time maxAckDelay,
                            Time now)
{
    NS_LOG_FUNCTION(this << latestRtt << ackDelay << handshakeConfirmed << maxAckDelay << now);
    if (latestRtt.IsNegative())
    {
        latestRtt = Time(0);
    }
    m_latestRtt = latestRtt;
    if (!m_hasSample)
    {
        // First sample after (re)initialisation: no history is kept (§5.3).
        m_minRtt = latestRtt;
        m_smoothedRtt = latestRtt;
        m_rttVar = latestRtt / 2;
        m_firstSampleAt = now;
        m_hasSample = true;
        return;
    }
    // min_rtt ignores the ACK delay (§5.2).
    if (latestRtt < m_minRtt)
    {
        m_minRtt = latestRtt;
    }
    if (ackDelay.IsNegative())
    {
        ackDelay = Time(0);
    }
    if (handshakeConfirmed && ackDelay > maxAckDelay)
    {
        ackDelay = maxAckDelay;
    }
    Time adjusted = latestRtt;
    if (latestRtt >= m_minRtt + ackDelay)
    {
        adjusted = latestRtt - ackDelay;
    }
    // rttvar uses the smoothed_rtt from before this sample (App. A.7, RFC 6298 §2.3).
    Time deviation = Abs(m_smoothedRtt - adjusted);
    m_rttVar = Time((3 * m_rttVar.GetTimeStep() + deviation.GetTimeStep()) / 4);
    m_smoothedRtt = Time((7 * m_smoothedRtt.GetTimeStep() + adjusted.GetTimeStep()) / 8);
}

void
QuicRttEstimator::OnPersistentCongestion()
{
    if (m_hasSample)
    {
        m_minRtt = m_latestRtt;
    }
}

bool
QuicRttEstimator::HasSample() const
{
    return m_hasSample;
}

Time
QuicRttEstimator::GetFirstSampleTime() const
{
    return m_firstSampleAt;
}

Time
QuicRttEstimator::GetLatestRtt() const
{
    return m_latestRtt;
}

Time
QuicRttEstimator::GetMinRtt() const
{
    return m_minRtt;
}

Time
QuicRttEstimator::GetSmoothedRtt() const
{
    return m_smoothedRtt;
}

Time
QuicRttEstimator::GetRttVar() const
{
    return m_rttVar;
}

Time
QuicRttEstimator::GetPto(Time maxAckDelay) const
{
    Time pto = m_smoothedRtt + Max(m_rttVar * 4, Granularity()) + maxAckDelay;
    // The PTO period is never below kGranularity (§6.2.1).
    return Max(pto, Granularity());
}

Time
QuicRttEstimator::GetPersistentCongestionDuration(Time maxAckDelay, uint32_t threshold) const
{
    return (m_smoothedRtt + Max(m_rttVar * 4, Granularity()) + maxAckDelay) *
           static_cast<int64_t>(threshold);
}

Time
QuicRttEstimator::GetLossDelay(double timeThreshold) const
{
    Time base = Max(m_smoothedRtt, m_latestRtt);
    Time delay(static_cast<int64_t>(static_cast<double>(base.GetTimeStep()) * timeThreshold));
    return Max(delay, Granularity());
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-congestion-control.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicCongestionOps");

NS_OBJECT_ENSURE_REGISTERED(QuicCongestionOps);

TypeId
QuicCongestionOps::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicCongestionOps")
            .SetParent<Object>()
            .SetGroupName("QuicMigration")
            .AddAttribute("PacingEnabled",
                          "Pace in-flight packets at N * cwnd / smoothed_rtt with a burst of the "
                          "initial window (RFC 9002 §7.7: senders SHOULD pace and MUST either "
                          "pace or limit bursts).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicCongestionOps::m_pacingEnabled),
                          MakeBooleanChecker())
            .AddAttribute("PacingGain",
                          "N in the pacing rate N * congestion_window / smoothed_rtt; RFC 9002 "
                          "§7.7 suggests a small value of at least 1, e.g. 1.25.",
                          DoubleValue(1.25),
                          MakeDoubleAccessor(&QuicCongestionOps::m_pacingGain),
                          MakeDoubleChecker<double>(1.0));
    return tid;
}

QuicCongestionOps::QuicCongestionOps()
    : m_pacingEnabled(true),
      m_pacingGain(1.25)
{
    NS_LOG_FUNCTION(this);
}

QuicCongestionOps::~QuicCongestionOps()
{
    NS_LOG_FUNCTION(this);
}

void
QuicCongestionOps::Reset(QuicCongestionState& state) const
{
    NS_LOG_FUNCTION(this);
    state.m_congestionWindow = GetInitialWindow(state.m_maxDatagramSize);
    state.m_ssThresh = QuicCongestionState::INFINITE_SSTHRESH;
    state.m_recoveryStartTime = Time(0);
    state.m_inRecoveryEpoch = false;
    state.m_bytesAckedInAvoidance = 0;
    state.m_appLimited = false;
    state.m_pacingTokens = static_cast<double>(GetPacingBurst(state));
    state.m_pacingLastRefill = Time(0);
}

void
QuicCongestionOps::OnPacketSent(QuicCongestionState& state,
                                const QuicRttEstimator& rtt,
                                const QuicSentPacket& packet)
{
    if (!packet.m_inFlight)
    {
        return; // ACK-only packets are not paced (§7.7)
    }
    double tokens = PacingTokensAt(state, rtt, packet.m_timeSent);
    tokens -= packet.m_sentBytes;
    state.m_pacingTokens = std::max(tokens, 0.0);
    state.m_pacingLastRefill = packet.m_timeSent;
}

void
QuicCongestionOps::OnPacketsLost(QuicCongestionState& state,
                                 const QuicRttEstimator& /* rtt */,
                                 const QuicSentPacket* packets,
                                 size_t count,
                                 Time now)
{
    bool anyInFlight = false;
    Time lastLossSent;
    for (size_t i = 0; i < count; ++i)
    {
        if (packets[i].m_inFlight && (!anyInFlight || packets[i].m_timeSent > lastLossSent))
        {
            lastLossSent = packets[i].m_timeSent;
            anyInFlight = true;
        }
    }
    if (anyInFlight)
    {
        OnCongestionEvent(state, lastLossSent, now);
    }
}

uint64_t
QuicCongestionOps::GetPacingBurst(const QuicCongestionState& state) const
{
    return GetInitialWindow(state.m_maxDatagramSize);
}

double
QuicCongestionOps::GetPacingRate(const QuicCongestionState& state,
                                 const QuicRttEstimator& rtt) const
{
    double srtt = rtt.GetSmoothedRtt().GetSeconds();
    if (srtt <= 0)
    {
        return 0;
    }
    return m_pacingGain * static_cast<double>(state.m_congestionWindow) / srtt;
}

double
QuicCongestionOps::PacingTokensAt(const QuicCongestionState& state,
                                  const QuicRttEstimator& rtt,
                                  Time now) const
{
    double burst = static_cast<double>(GetPacingBurst(state));
    int64_t srttSteps = rtt.GetSmoothedRtt().GetTimeStep();
    int64_t elapsed = (now - state.m_pacingLastRefill).GetTimeStep();
    if (srttSteps <= 0)
    {
        return burst;
    }
    double tokens = state.m_pacingTokens;
    if (elapsed > 0)
    {
        // elapsed * N * cwnd / srtt, multiplied first so that round numbers stay exact
        tokens += static_cast<double>(elapsed) * m_pacingGain *
                  static_cast<double>(state.m_congestionWindow) / static_cast<double>(srttSteps);
    }
    return std::min(tokens, burst);
}

Time
QuicCongestionOps::GetPacingDelay(const QuicCongestionState& state,
                                  const QuicRttEstimator& rtt,
                                  uint32_t bytes,
                                  Time now) const
{
    int64_t srttSteps = rtt.GetSmoothedRtt().GetTimeStep();
    if (!m_pacingEnabled || srttSteps <= 0 || state.m_congestionWindow == 0)
    {
        return Time(0);
    }
    double tokens = PacingTokensAt(state, rtt, now);
    double need = std::min(static_cast<double>(bytes), static_cast<double>(GetPacingBurst(state)));
    if (tokens >= need)
    {
        return Time(0);
    }
    // interval = (smoothed_rtt * bytes / cwnd) / N for the missing bytes (§7.7)
    double wait = (need - tokens) * static_cast<double>(srttSteps) /
                  (m_pacingGain * static_cast<double>(state.m_congestionWindow));
    return Time(static_cast<int64_t>(std::ceil(wait)));
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-new-reno.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicNewReno");

NS_OBJECT_ENSURE_REGISTERED(QuicNewReno);

TypeId
QuicNewReno::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicNewReno")
            .SetParent<QuicCongestionOps>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicNewReno>()
            .AddAttribute("InitialWindowPackets",
                          "Datagrams in the initial window: kInitialWindow = min(this * mds, "
                          "max(InitialWindowByteLimit, 2 * mds)) (RFC 9002 §7.2: 10).",
                          UintegerValue(10),
                          MakeUintegerAccessor(&QuicNewReno::m_initialWindowPackets),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("InitialWindowByteLimit",
                          "Byte limit of the initial window, applied as max(this, 2 * mds) "
                          "(RFC 9002 §7.2: 14720 bytes).",
                          UintegerValue(14720),
                          MakeUintegerAccessor(&QuicNewReno::m_initialWindowByteLimit),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("MinimumWindowPackets",
                          "Datagrams in kMinimumWindow, the smallest window after loss or "
                          "persistent congestion (RFC 9002 §7.2 recommends 2).",
                          UintegerValue(2),
                          MakeUintegerAccessor(&QuicNewReno::m_minimumWindowPackets),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("LossReductionFactor",
                          "kLossReductionFactor: ssthresh = cwnd * this on entering recovery "
                          "(RFC 9002 §7.3.2, App. B.1: 0.5).",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&QuicNewReno::m_lossReductionFactor),
                          MakeDoubleChecker<double>(0.0, 1.0));
    return tid;
}

QuicNewReno::QuicNewReno()
    : m_initialWindowPackets(10),
      m_initialWindowByteLimit(14720),
      m_minimumWindowPackets(2),
      m_lossReductionFactor(0.5)
{
    NS_LOG_FUNCTION(this);
}

QuicNewReno::~QuicNewReno()
{
    NS_LOG_FUNCTION(this);
}

std::string
QuicNewReno::GetName() const
{
    return "NewReno";
}

uint64_t
QuicNewReno::GetInitialWindow(uint32_t maxDatagramSize) const
{
    uint64_t mds = maxDatagramSize;
    return std::min<uint64_t>(m_initialWindowPackets * mds,
                              std::max<uint64_t>(m_initialWindowByteLimit, 2 * mds));
}

uint64_t
QuicNewReno::GetMinimumWindow(uint32_t maxDatagramSize) const
{
    return static_cast<uint64_t>(m_minimumWindowPackets) * maxDatagramSize;
}

void
QuicNewReno::OnPacketsAcked(QuicCongestionState& state,
                            const QuicRttEstimator& /* rtt */,
                            const QuicSentPacket* packets,
                            size_t count,
                            Time /* now */)
{
    if (state.m_appLimited)
    {
        return; // §7.8: no increase when the window is under-used
    }
    for (size_t i = 0; i < count; ++i)
    {
        const QuicSentPacket& p = packets[i];
        if (!p.m_inFlight || state.InCongestionRecovery(p.m_timeSent))
        {
            continue;
        }
        if (state.m_congestionWindow < state.m_ssThresh)
        {
            state.m_congestionWindow += p.m_sentBytes; // slow start
        }
        else
        {
            // Congestion avoidance, RFC 3465 §2.1 byte counting: + mds per window acked.
            state.m_bytesAckedInAvoidance += p.m_sentBytes;
            if (state.m_bytesAckedInAvoidance >= state.m_congestionWindow)
            {
                state.m_bytesAckedInAvoidance -= state.m_congestionWindow;
                state.m_congestionWindow += state.m_maxDatagramSize;
            }
        }
    }
}

void
QuicNewReno::OnCongestionEvent(QuicCongestionState& state, Time sentTime, Time now)
{
    if (state.InCongestionRecovery(sentTime))
    {
        return; // one reduction per recovery period (§7.3.2)
    }
    NS_LOG_FUNCTION(this << sentTime << now << state.m_congestionWindow);
    state.m_recoveryStartTime = now;
    state.m_inRecoveryEpoch = true;
    state.m_ssThresh = static_cast<uint64_t>(static_cast<double>(state.m_congestionWindow) *
                                             m_lossReductionFactor);
    state.m_congestionWindow =
        std::max(state.m_ssThresh, GetMinimumWindow(state.m_maxDatagramSize));
    state.m_bytesAckedInAvoidance = 0;
    ++state.m_congestionEvents;
}

void
QuicNewReno::OnPersistentCongestion(QuicCongestionState& state, Time now)
{
    NS_LOG_FUNCTION(this << now << state.m_congestionWindow);
    state.m_congestionWindow = GetMinimumWindow(state.m_maxDatagramSize);
    state.m_recoveryStartTime = Time(0);
    state.m_inRecoveryEpoch = false;
    state.m_bytesAckedInAvoidance = 0;
    ++state.m_persistentCongestions;
}

} // namespace ns3

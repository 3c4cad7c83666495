/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TEST_RECORD_H
#define QUIC_TEST_RECORD_H

// What the migration-level test suites record of one connection through its trace sources,
// shared by quic-migration, quic-preferred-address and quic-requirements.

#include "ns3/nstime.h"
#include "ns3/quic-connection.h"
#include "ns3/simulator.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{
namespace quictest
{

/// What a test records of one connection.
struct Record
{
    /// One packet sent or received.
    struct Tx
    {
        Time t;                   //!< when
        QuicPacketTraceInfo info; //!< what
    };

    std::vector<Tx> sent;                                 //!< PacketSent
    std::vector<Tx> received;                             //!< PacketReceived
    std::vector<std::pair<Time, std::string>> pathEvents; //!< PathEvent: "event from to"
    std::map<std::string, Time> firstEvent;               //!< first time of each path event
    std::map<std::string, Time> srttAtFirstEvent; //!< smoothed RTT right after that first time
    std::map<std::string, uint32_t> eventCount;   //!< path events by name
    std::map<QuicDropReason, uint32_t> drops;     //!< PacketDropped by reason
    std::vector<std::pair<QuicDropReason, uint32_t>> dropList; //!< PacketDropped (reason, size)
    std::vector<std::string> handshakeEvents;                  //!< HandshakeEvent
    bool closed{false};                                        //!< Closed fired
    Time closedAt;                                             //!< when
};

/// PacketSent sink
inline void
OnSent(Record* r, Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
{
    r->sent.push_back({Simulator::Now(), i});
}

/// PacketReceived sink
inline void
OnReceived(Record* r, Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
{
    r->received.push_back({Simulator::Now(), i});
}

/// PathEvent sink
inline void
OnPathEvent(Record* r,
            Ptr<const QuicConnection> c,
            const std::string& e,
            const std::string& from,
            const std::string& to)
{
    r->pathEvents.push_back({Simulator::Now(), e + " " + from + " " + to});
    if (r->firstEvent.emplace(e, Simulator::Now()).second)
    {
        r->srttAtFirstEvent.emplace(e, c->GetSmoothedRtt());
    }
    ++r->eventCount[e];
}

/// PacketDropped sink
inline void
OnDropped(Record* r, Ptr<const QuicConnection>, QuicDropReason reason, uint32_t size)
{
    ++r->drops[reason];
    r->dropList.emplace_back(reason, size);
}

/// HandshakeEvent sink
inline void
OnHandshakeEvent(Record* r, Ptr<const QuicConnection>, const std::string& e)
{
    r->handshakeEvents.push_back(e);
}

/// Closed sink
inline void
OnClosed(Record* r, Ptr<const QuicConnection>, uint64_t, bool)
{
    r->closed = true;
    r->closedAt = Simulator::Now();
}

/**
 * \brief Connect every sink above to \p c.
 * \param c the connection
 * \param r where to record
 */
inline void
RecordConnection(Ptr<QuicConnection> c, Record* r)
{
    c->TraceConnectWithoutContext("PacketSent", MakeBoundCallback(&OnSent, r));
    c->TraceConnectWithoutContext("PacketReceived", MakeBoundCallback(&OnReceived, r));
    c->TraceConnectWithoutContext("PathEvent", MakeBoundCallback(&OnPathEvent, r));
    c->TraceConnectWithoutContext("PacketDropped", MakeBoundCallback(&OnDropped, r));
    c->TraceConnectWithoutContext("HandshakeEvent", MakeBoundCallback(&OnHandshakeEvent, r));
    c->TraceConnectWithoutContext("Closed", MakeBoundCallback(&OnClosed, r));
}

/// \return true if the packet carried a frame of type \p t
inline bool
Has(const QuicPacketTraceInfo& i, QuicFrameType t)
{
    return (i.m_frameTypes & QuicFrameTypeBit(t)) != 0;
}

} // namespace quictest
} // namespace ns3

#endif /* QUIC_TEST_RECORD_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ROUTING_WRAPPER_H
#define QUIC_ROUTING_WRAPPER_H

#include "ns3/ipv4-routing-protocol.h"

#include <ostream>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Base of the middlebox models that sit in front of a node's IPv4 routing protocol
 *        (QuicNat, QuicOnPathRewriter).
 *
 * Wrap() installs the object as the node's routing protocol and keeps the previous one; a
 * subclass implements RouteInput() (where it looks at or changes forwarded packets) and
 * hands the packets on to the wrapped protocol. Everything else (locally originated packets,
 * interface and address notifications) goes straight to the wrapped protocol.
 * PrintRoutingTable() prints the subclass's one-line state, then the wrapped table.
 */
class QuicRoutingWrapper : public Ipv4RoutingProtocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicRoutingWrapper();
    ~QuicRoutingWrapper() override;

    /// \return the routing protocol the node had before Wrap() (null before it)
    Ptr<Ipv4RoutingProtocol> GetWrappedRoutingProtocol() const;

    // Ipv4RoutingProtocol: everything but RouteInput delegates to the wrapped protocol.
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

  protected:
    /**
     * \brief Become the routing protocol of \p ipv4, wrapping the one it has.
     * \param ipv4 an IPv4 stack with a routing protocol (checked by the caller)
     *
     * The wrapped protocol keeps its own Ipv4 pointer; Ipv4::SetRoutingProtocol() calls
     * SetIpv4() on this object.
     */
    void Wrap(Ptr<Ipv4> ipv4);

    /**
     * \brief Print this middlebox's state (one line, no newline) for PrintRoutingTable().
     * \param os the stream
     */
    virtual void PrintState(std::ostream& os) const = 0;

    void DoDispose() override;

    Ptr<Ipv4> m_ipv4;                   //!< the node's IPv4 stack
    Ptr<Ipv4RoutingProtocol> m_wrapped; //!< the node's previous routing protocol
};

} // namespace ns3

#endif /* QUIC_ROUTING_WRAPPER_H */

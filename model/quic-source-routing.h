/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SOURCE_ROUTING_H
#define QUIC_SOURCE_ROUTING_H

#include "ns3/ipv4-address.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/traced-callback.h"

#include <map>

namespace ns3
{

class Ipv4;

/**
 * \ingroup quic-migration
 * \brief Source-address policy routing for a multi-homed host (Linux `ip rule from ADDR`).
 *
 * ns-3's static and global routing choose the outgoing interface from the destination only.
 * A host with several access networks (Wi-Fi and cellular, say) whose QUIC connection binds a
 * socket to the address of one access (RFC 9000 §9.2 migration, QuicConnection::Migrate) must
 * send that socket's packets out of that access, to that access's gateway, whatever the
 * default route is; otherwise the new path would share the old path's first hop.
 *
 * This protocol is added to the host's Ipv4ListRouting with a priority above static routing
 * (QuicMigrationTopologyHelper does so on the client). RouteOutput() handles a packet whose
 * IPv4 header already carries a source address (what a UDP socket bound to a specific address
 * passes down): if that address belongs to an interface that is up and has a gateway
 * registered with SetGateway(), the route leaves through that interface, to the gateway (or
 * on-link to the destination when it lies in the interface's subnet). Every other packet
 * (source not yet chosen, i.e. a socket bound to the any-address; unknown source; interface
 * down or without gateway) is left to the next protocol of the list, normally static routing
 * with its default route. RouteInput() never claims a packet.
 *
 * Addresses are looked up at every packet, so renumbering an interface
 * (QuicAddressChanger::Renumber) needs no update here. IPv4 only.
 */
class QuicSourceAddressRouting : public Ipv4RoutingProtocol
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicSourceAddressRouting();
    ~QuicSourceAddressRouting() override;

    /**
     * \brief Register the next hop of an interface.
     * \param interface IPv4 interface index
     * \param gateway next-hop address on that interface's network
     */
    void SetGateway(uint32_t interface, Ipv4Address gateway);

    /**
     * \param interface IPv4 interface index
     * \return its gateway, or Ipv4Address::GetAny() if none is registered
     */
    Ipv4Address GetGateway(uint32_t interface) const;

    // Ipv4RoutingProtocol
    Ptr<Ipv4Route> RouteOutput(Ptr<Packet> p,
                               const Ipv4Header& header,
                               Ptr<NetDevice> oif,
                               Socket::SocketErrno& sockerr) override;
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;
    void NotifyInterfaceUp(uint32_t interface) override;
    void NotifyInterfaceDown(uint32_t interface) override;
    void NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address) override;
    void SetIpv4(Ptr<Ipv4> ipv4) override;
    void PrintRoutingTable(Ptr<OutputStreamWrapper> stream,
                           Time::Unit unit = Time::S) const override;

    /// TracedCallback signature for Routed: (source address, output interface).
    typedef void (*RoutedTracedCallback)(Ipv4Address source, uint32_t interface);

  protected:
    void DoDispose() override;

  private:
    Ptr<Ipv4> m_ipv4;                               //!< the host's IPv4 stack
    std::map<uint32_t, Ipv4Address> m_gateways;     //!< next hop per interface
    TracedCallback<Ipv4Address, uint32_t> m_routed; //!< Routed
};

} // namespace ns3

#endif /* QUIC_SOURCE_ROUTING_H */

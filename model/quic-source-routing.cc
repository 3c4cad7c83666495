/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-source-routing.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSourceAddressRouting");

NS_OBJECT_ENSURE_REGISTERED(QuicSourceAddressRouting);

TypeId
QuicSourceAddressRouting::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicSourceAddressRouting")
            .SetParent<Ipv4RoutingProtocol>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicSourceAddressRouting>()
            .AddTraceSource("Routed",
                            "A packet with a chosen source address was routed out of that "
                            "address's interface",
                            MakeTraceSourceAccessor(&QuicSourceAddressRouting::m_routed),
                            "ns3::QuicSourceAddressRouting::RoutedTracedCallback");
    return tid;
}

QuicSourceAddressRouting::QuicSourceAddressRouting() = default;

QuicSourceAddressRouting::~QuicSourceAddressRouting() = default;

void
QuicSourceAddressRouting::DoDispose()
{
    m_ipv4 = nullptr;
    m_gateways.clear();
    Ipv4RoutingProtocol::DoDispose();
}

void
QuicSourceAddressRouting::SetGateway(uint32_t interface, Ipv4Address gateway)
{
    m_gateways[interface] = gateway;
}

Ipv4Address
QuicSourceAddressRouting::GetGateway(uint32_t interface) const
{
    auto it = m_gateways.find(interface);
    return it == m_gateways.end() ? Ipv4Address::GetAny() : it->second;
}

Ptr<Ipv4Route>
QuicSourceAddressRouting::RouteOutput(Ptr<Packet> /* p */,
                                      const Ipv4Header& header,
                                      Ptr<NetDevice> oif,
                                      Socket::SocketErrno& sockerr)
{
    Ipv4Address source = header.GetSource();
    Ipv4Address destination = header.GetDestination();
    if (!m_ipv4 || source == Ipv4Address::GetAny() || source == Ipv4Address() ||
        destination.IsMulticast() || destination.IsBroadcast())
    {
        return nullptr;
    }
    int32_t interface = m_ipv4->GetInterfaceForAddress(source);
    if (interface < 0 || !m_ipv4->IsUp(interface))
    {
        return nullptr;
    }
    auto it = m_gateways.find(static_cast<uint32_t>(interface));
    if (it == m_gateways.end())
    {
        return nullptr;
    }
    Ptr<NetDevice> device = m_ipv4->GetNetDevice(interface);
    if (oif && oif != device)
    {
        return nullptr;
    }
    Ipv4Address gateway = it->second;
    for (uint32_t i = 0; i < m_ipv4->GetNAddresses(interface); ++i)
    {
        Ipv4InterfaceAddress a = m_ipv4->GetAddress(interface, i);
        if (a.GetLocal() == source && a.GetMask().IsMatch(source, destination))
        {
            gateway = destination; // on-link
        }
    }
    Ptr<Ipv4Route> route = Create<Ipv4Route>();
    route->SetDestination(destination);
    route->SetGateway(gateway == destination ? Ipv4Address::GetZero() : gateway);
    route->SetSource(source);
    route->SetOutputDevice(device);
    sockerr = Socket::ERROR_NOTERROR;
    m_routed(source, static_cast<uint32_t>(interface));
    return route;
}

bool
QuicSourceAddressRouting::RouteInput(Ptr<const Packet> /* p */,
                                     const Ipv4Header& /* header */,
                                     Ptr<const NetDevice> /* idev */,
                                     UnicastForwardCallback /* ucb */,
                                     MulticastForwardCallback /* mcb */,
                                     LocalDeliverCallback /* lcb */,
                                     ErrorCallback /* ecb */)
{
    return false;
}

void
QuicSourceAddressRouting::NotifyInterfaceUp(uint32_t /* interface */)
{
}

void
QuicSourceAddressRouting::NotifyInterfaceDown(uint32_t /* interface */)
{
}

void
QuicSourceAddressRouting::NotifyAddAddress(uint32_t /* interface */,
                                           Ipv4InterfaceAddress /* address */)
{
}

void
QuicSourceAddressRouting::NotifyRemoveAddress(uint32_t /* interface */,
                                              Ipv4InterfaceAddress /* address */)
{
}

void
QuicSourceAddressRouting::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
QuicSourceAddressRouting::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    os << "QuicSourceAddressRouting, time " << Simulator::Now().As(unit) << "\n";
    for (const auto& [interface, gateway] : m_gateways)
    {
        os << "  from addresses of interface " << interface << " via " << gateway << "\n";
    }
}

} // namespace ns3

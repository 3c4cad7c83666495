/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-routing-wrapper.h"

#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/output-stream-wrapper.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(QuicRoutingWrapper);

TypeId
QuicRoutingWrapper::GetTypeId()
{
    static TypeId tid = TypeId("ns3::QuicRoutingWrapper")
                            .SetParent<Ipv4RoutingProtocol>()
                            .SetGroupName("QuicMigration");
    return tid;
}

QuicRoutingWrapper::QuicRoutingWrapper() = default;

QuicRoutingWrapper::~QuicRoutingWrapper() = default;

void
QuicRoutingWrapper::DoDispose()
{
    m_wrapped = nullptr;
    m_ipv4 = nullptr;
    Ipv4RoutingProtocol::DoDispose();
}

void
QuicRoutingWrapper::Wrap(Ptr<Ipv4> ipv4)
{
    m_wrapped = ipv4->GetRoutingProtocol();
    ipv4->SetRoutingProtocol(this);
}

Ptr<Ipv4RoutingProtocol>
QuicRoutingWrapper::GetWrappedRoutingProtocol() const
{
    return m_wrapped;
}

Ptr<Ipv4Route>
QuicRoutingWrapper::RouteOutput(Ptr<Packet> p,
                                const Ipv4Header& header,
                                Ptr<NetDevice> oif,
                                Socket::SocketErrno& sockerr)
{
    if (!m_wrapped)
    {
        sockerr = Socket::ERROR_NOROUTETOHOST;
        return nullptr;
    }
    return m_wrapped->RouteOutput(p, header, oif, sockerr);
}

void
QuicRoutingWrapper::NotifyInterfaceUp(uint32_t interface)
{
    if (m_wrapped)
    {
        m_wrapped->NotifyInterfaceUp(interface);
    }
}

void
QuicRoutingWrapper::NotifyInterfaceDown(uint32_t interface)
{
    if (m_wrapped)
    {
        m_wrapped->NotifyInterfaceDown(interface);
    }
}

void
QuicRoutingWrapper::NotifyAddAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    if (m_wrapped)
    {
        m_wrapped->NotifyAddAddress(interface, address);
    }
}

void
QuicRoutingWrapper::NotifyRemoveAddress(uint32_t interface, Ipv4InterfaceAddress address)
{
    if (m_wrapped)
    {
        m_wrapped->NotifyRemoveAddress(interface, address);
    }
}

void
QuicRoutingWrapper::SetIpv4(Ptr<Ipv4> ipv4)
{
    m_ipv4 = ipv4;
}

void
QuicRoutingWrapper::PrintRoutingTable(Ptr<OutputStreamWrapper> stream, Time::Unit unit) const
{
    std::ostream& os = *stream->GetStream();
    PrintState(os);
    os << std::endl;
    if (m_wrapped)
    {
        m_wrapped->PrintRoutingTable(stream, unit);
    }
}

} // namespace ns3

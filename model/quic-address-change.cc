/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-address-change.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-routing-table-entry.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicAddressChanger");

NS_OBJECT_ENSURE_REGISTERED(QuicAddressChanger);

const char*
QuicAddressChangeActionName(QuicAddressChangeAction action)
{
    switch (action)
    {
    case QuicAddressChangeAction::RENUMBER:
        return "renumber";
    case QuicAddressChangeAction::LINK_DOWN:
        return "linkdown";
    case QuicAddressChangeAction::LINK_UP:
        return "linkup";
    case QuicAddressChangeAction::ROUTE:
        return "route";
    case QuicAddressChangeAction::MIGRATE:
        return "migrate";
    }
    return "unknown";
}

TypeId
QuicAddressChanger::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicAddressChanger")
            .SetParent<Object>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicAddressChanger>()
            .AddAttribute("RenumberOffset",
                          "Automatic renumbering: the new host number is the old one plus this "
                          "offset, within the same subnet",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicAddressChanger::m_renumberOffset),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("AddressChange",
                            "An address-change action ran (renumber, linkdown, linkup, route, "
                            "migrate), successful or not",
                            MakeTraceSourceAccessor(&QuicAddressChanger::m_changeTrace),
                            "ns3::QuicAddressChanger::AddressChangeTracedCallback");
    return tid;
}

QuicAddressChanger::QuicAddressChanger()
    : m_renumberOffset(100)
{
}

QuicAddressChanger::~QuicAddressChanger() = default;

void
QuicAddressChanger::DoDispose()
{
    m_node = nullptr;
    m_ipv4 = nullptr;
    Object::DoDispose();
}

void
QuicAddressChanger::SetNode(Ptr<Node> node)
{
    m_node = node;
    m_ipv4 = node ? node->GetObject<Ipv4>() : nullptr;
}

Ptr<Node>
QuicAddressChanger::GetNode() const
{
    return m_node;
}

void
QuicAddressChanger::SetGateway(uint32_t interface, Ipv4Address gateway)
{
    m_gateways[interface] = gateway;
}

bool
QuicAddressChanger::CheckInterface(uint32_t interface, QuicAddressChangeEvent& event) const
{
    event.m_interface = interface;
    if (!m_ipv4)
    {
        event.m_detail = "no IPv4 stack on the node";
        return false;
    }
    if (interface >= m_ipv4->GetNInterfaces())
    {
        std::ostringstream os;
        os << "no interface " << interface << " (the node has " << m_ipv4->GetNInterfaces() << ")";
        event.m_detail = os.str();
        return false;
    }
    return true;
}

void
QuicAddressChanger::Report(const QuicAddressChangeEvent& event)
{
    NS_LOG_INFO(QuicAddressChangeActionName(event.m_action)
                << " if " << event.m_interface << (event.m_ok ? " ok: " : " failed: ")
                << event.m_detail);
    m_changeTrace(event);
}

bool
QuicAddressChanger::Renumber(uint32_t interface, Ipv4Address newAddress)
{
    QuicAddressChangeEvent e;
    e.m_action = QuicAddressChangeAction::RENUMBER;
    if (!CheckInterface(interface, e))
    {
        Report(e);
        return false;
    }
    if (m_ipv4->GetNAddresses(interface) == 0)
    {
        e.m_detail = "the interface has no address";
        Report(e);
        return false;
    }
    Ipv4InterfaceAddress old = m_ipv4->GetAddress(interface, 0);
    Ipv4Mask mask = old.GetMask();
    if (newAddress == Ipv4Address::GetAny())
    {
        uint32_t host = old.GetLocal().Get() & ~mask.Get();
        uint32_t hostRange = ~mask.Get();
        uint32_t next = (host + m_renumberOffset) % hostRange;
        if (next == 0 || next == host)
        {
            next = (next + 1) % hostRange;
        }
        newAddress = Ipv4Address((old.GetLocal().Get() & mask.Get()) | next);
    }
    e.m_oldAddress = old.GetLocal();
    e.m_newAddress = newAddress;
    if (newAddress == old.GetLocal() || m_ipv4->GetInterfaceForAddress(newAddress) >= 0)
    {
        e.m_detail = "the new address is already in use on the node";
        Report(e);
        return false;
    }
    int32_t defaultIf = GetDefaultRouteInterface();
    m_ipv4->RemoveAddress(interface, 0);
    Ipv4InterfaceAddress added(newAddress, mask);
    m_ipv4->AddAddress(interface, added);
    // Static routing re-adds the connected route on AddAddress; restore a default route through
    // this interface if the change lost it.
    if (defaultIf == static_cast<int32_t>(interface) && GetDefaultRouteInterface() < 0)
    {
        SetDefaultRoute(interface);
    }
    e.m_ok = true;
    std::ostringstream os;
    os << "interface " << interface << " renumbered " << e.m_oldAddress << " -> " << newAddress;
    e.m_detail = os.str();
    Report(e);
    return true;
}

bool
QuicAddressChanger::SetInterfaceDown(uint32_t interface)
{
    QuicAddressChangeEvent e;
    e.m_action = QuicAddressChangeAction::LINK_DOWN;
    if (CheckInterface(interface, e))
    {
        m_ipv4->SetDown(interface);
        e.m_ok = true;
        e.m_detail = "interface " + std::to_string(interface) + " down";
    }
    Report(e);
    return e.m_ok;
}

bool
QuicAddressChanger::SetInterfaceUp(uint32_t interface)
{
    QuicAddressChangeEvent e;
    e.m_action = QuicAddressChangeAction::LINK_UP;
    if (CheckInterface(interface, e))
    {
        m_ipv4->SetUp(interface);
        e.m_ok = true;
        e.m_detail = "interface " + std::to_string(interface) + " up";
    }
    Report(e);
    return e.m_ok;
}

int32_t
QuicAddressChanger::GetDefaultRouteInterface() const
{
    if (!m_ipv4)
    {
        return -1;
    }
    Ptr<Ipv4StaticRouting> routing = Ipv4StaticRoutingHelper().GetStaticRouting(m_ipv4);
    if (!routing)
    {
        return -1;
    }
    for (uint32_t i = 0; i < routing->GetNRoutes(); ++i)
    {
        Ipv4RoutingTableEntry r = routing->GetRoute(i);
        if (r.IsDefault())
        {
            return static_cast<int32_t>(r.GetInterface());
        }
    }
    return -1;
}

bool
QuicAddressChanger::SetDefaultRoute(uint32_t interface)
{
    QuicAddressChangeEvent e;
    e.m_action = QuicAddressChangeAction::ROUTE;
    if (!CheckInterface(interface, e))
    {
        Report(e);
        return false;
    }
    auto gw = m_gateways.find(interface);
    Ptr<Ipv4StaticRouting> routing = Ipv4StaticRoutingHelper().GetStaticRouting(m_ipv4);
    if (gw == m_gateways.end() || !routing)
    {
        e.m_detail = gw == m_gateways.end() ? "no gateway registered for the interface"
                                            : "the node has no static routing";
        Report(e);
        return false;
    }
    for (uint32_t i = routing->GetNRoutes(); i > 0; --i)
    {
        Ipv4RoutingTableEntry r = routing->GetRoute(i - 1);
        if (r.IsDefault())
        {
            e.m_oldAddress = r.GetGateway();
            routing->RemoveRoute(i - 1);
        }
    }
    routing->SetDefaultRoute(gw->second, interface);
    e.m_newAddress = gw->second;
    e.m_ok = true;
    std::ostringstream os;
    os << "default route via " << gw->second << " on interface " << interface;
    e.m_detail = os.str();
    Report(e);
    return true;
}

bool
QuicAddressChanger::MigrateConnection(Ptr<QuicConnection> connection,
                                      uint32_t interface,
                                      QuicConnection::MigrationPolicy policy)
{
    QuicAddressChangeEvent e;
    e.m_action = QuicAddressChangeAction::MIGRATE;
    if (!CheckInterface(interface, e))
    {
        Report(e);
        return false;
    }
    if (!connection || m_ipv4->GetNAddresses(interface) == 0)
    {
        e.m_detail = connection ? "the interface has no address" : "no connection";
        Report(e);
        return false;
    }
    e.m_newAddress = m_ipv4->GetAddress(interface, 0).GetLocal();
    e.m_ok = connection->Migrate(InetSocketAddress(e.m_newAddress, 0), policy);
    std::ostringstream os;
    os << "migration to " << e.m_newAddress << " ("
       << (policy == QuicConnection::PROBE_THEN_SWITCH ? "probe" : "switch") << ")"
       << (e.m_ok ? " started" : " refused by the connection");
    e.m_detail = os.str();
    Report(e);
    return e.m_ok;
}

Time
QuicAddressChanger::DelayTo(Time at)
{
    return std::max(Time(0), at - Simulator::Now());
}

void
QuicAddressChanger::ScheduleRenumber(Time at, uint32_t interface, Ipv4Address newAddress)
{
    NS_ASSERT_MSG(m_node, "QuicAddressChanger: SetNode() first");
    Ptr<QuicAddressChanger> self(this);
    Simulator::ScheduleWithContext(m_node->GetId(), DelayTo(at), [self, interface, newAddress]() {
        self->Renumber(interface, newAddress);
    });
}

void
QuicAddressChanger::ScheduleInterfaceDown(Time at, uint32_t interface)
{
    NS_ASSERT_MSG(m_node, "QuicAddressChanger: SetNode() first");
    Ptr<QuicAddressChanger> self(this);
    Simulator::ScheduleWithContext(m_node->GetId(), DelayTo(at), [self, interface]() {
        self->SetInterfaceDown(interface);
    });
}

void
QuicAddressChanger::ScheduleInterfaceUp(Time at, uint32_t interface)
{
    NS_ASSERT_MSG(m_node, "QuicAddressChanger: SetNode() first");
    Ptr<QuicAddressChanger> self(this);
    Simulator::ScheduleWithContext(m_node->GetId(), DelayTo(at), [self, interface]() {
        self->SetInterfaceUp(interface);
    });
}

void
QuicAddressChanger::ScheduleDefaultRoute(Time at, uint32_t interface)
{
    NS_ASSERT_MSG(m_node, "QuicAddressChanger: SetNode() first");
    Ptr<QuicAddressChanger> self(this);
    Simulator::ScheduleWithContext(m_node->GetId(), DelayTo(at), [self, interface]() {
        self->SetDefaultRoute(interface);
    });
}

void
QuicAddressChanger::ScheduleMigration(Time at,
                                      Ptr<QuicConnection> connection,
                                      uint32_t interface,
                                      QuicConnection::MigrationPolicy policy)
{
    NS_ASSERT_MSG(m_node, "QuicAddressChanger: SetNode() first");
    Ptr<QuicAddressChanger> self(this);
    Simulator::ScheduleWithContext(m_node->GetId(),
                                   DelayTo(at),
                                   [self, connection, interface, policy]() {
                                       self->MigrateConnection(connection, interface, policy);
                                   });
}

} // namespace ns3

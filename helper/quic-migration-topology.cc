/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-migration-topology.h"

#include "quic-migration-scenario.h"

#include "ns3/csma-helper.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/error-model.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-list-routing-helper.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv4-static-routing.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/neighbor-cache-helper.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/pointer.h"
#include "ns3/queue-size.h"
#include "ns3/string.h"
#include "ns3/traffic-control-helper.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <sstream>

namespace
{

/// Most access networks (addresses 10.1.1.0/24 .. 10.1.250.0/24).
constexpr uint32_t MAX_ACCESS_NETWORKS = 250;
/// Priority of QuicSourceAddressRouting in the client's list (static routing has 0).
constexpr int16_t SOURCE_ROUTING_PRIORITY = 10;

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicMigrationTopologyHelper");

const char*
QuicAccessLinkTypeName(QuicAccessLinkType type)
{
    return type == QuicAccessLinkType::CSMA ? "csma" : "p2p";
}

NodeContainer
QuicMigrationTopology::GetNodes() const
{
    NodeContainer c;
    for (Ptr<Node> n : {m_client, m_router, m_server})
    {
        if (n)
        {
            c.Add(n);
        }
    }
    for (const auto& a : m_access)
    {
        if (a.m_natNode)
        {
            c.Add(a.m_natNode);
        }
    }
    for (Ptr<Node> n : {m_attacker, m_victim})
    {
        if (n)
        {
            c.Add(n);
        }
    }
    return c;
}

QuicMigrationTopologyHelper::QuicMigrationTopologyHelper()
    : m_coreRateBps(1000000000),
      m_coreDelay(MilliSeconds(1)),
      m_defaultAccess(0),
      m_attacker(false),
      m_victim(false)
{
    m_natFactory.SetTypeId(QuicNat::GetTypeId());
}

uint32_t
QuicMigrationTopologyHelper::AddAccessNetwork(const QuicAccessNetworkConfig& config)
{
    m_access.push_back(config);
    return static_cast<uint32_t>(m_access.size() - 1);
}

const std::vector<QuicAccessNetworkConfig>&
QuicMigrationTopologyHelper::GetAccessNetworks() const
{
    return m_access;
}

void
QuicMigrationTopologyHelper::SetCoreDataRate(uint64_t rateBps)
{
    m_coreRateBps = rateBps;
}

void
QuicMigrationTopologyHelper::SetCoreDelay(Time delay)
{
    m_coreDelay = delay;
}

void
QuicMigrationTopologyHelper::SetDefaultAccess(uint32_t index)
{
    m_defaultAccess = index;
}

void
QuicMigrationTopologyHelper::SetAttacker(bool enable)
{
    m_attacker = enable;
}

void
QuicMigrationTopologyHelper::SetVictim(bool enable)
{
    m_victim = enable;
}

void
QuicMigrationTopologyHelper::SetNatAttribute(const std::string& name, const AttributeValue& value)
{
    m_natFactory.Set(name, value);
}

std::string
QuicMigrationTopologyHelper::Validate() const
{
    std::ostringstream os;
    if (m_access.empty())
    {
        return "at least one access network is needed";
    }
    if (m_access.size() > MAX_ACCESS_NETWORKS)
    {
        os << "at most " << MAX_ACCESS_NETWORKS << " access networks";
        return os.str();
    }
    if (m_defaultAccess >= m_access.size())
    {
        os << "default access " << m_defaultAccess << " does not exist";
        return os.str();
    }
    if (m_coreRateBps == 0 || m_coreDelay.IsNegative())
    {
        return "the core link needs a positive data rate and a non-negative delay";
    }
    for (size_t i = 0; i < m_access.size(); ++i)
    {
        const QuicAccessNetworkConfig& a = m_access[i];
        os.str("");
        os << "access " << i << ": ";
        if (a.m_dataRateBps == 0)
        {
            return os.str() + "data rate must be positive";
        }
        if (a.m_delay.IsNegative())
        {
            return os.str() + "delay must not be negative";
        }
        if (!(a.m_lossRate >= 0.0 && a.m_lossRate < 1.0))
        {
            return os.str() + "loss must be in [0, 1)";
        }
        if (a.m_queuePackets == 0)
        {
            return os.str() + "queue must be at least 1 packet";
        }
        if (a.m_mtu < 1280 || a.m_mtu > 65535)
        {
            return os.str() + "mtu must be in [1280, 65535]";
        }
    }
    return "";
}

namespace
{

/**
 * \param rate loss probability
 * \return a packet RateErrorModel, or null for no loss
 */
Ptr<RateErrorModel>
MakeLoss(double rate)
{
    if (rate <= 0.0)
    {
        return nullptr;
    }
    Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
    em->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
    em->SetRate(rate);
    return em;
}

/**
 * \param a b c d the four bytes \return the address
 */
Ipv4Address
Addr(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return Ipv4Address((a << 24) | (b << 16) | (c << 8) | d);
}

/**
 * \brief Address a two-device link with .1 and .2 of a /24.
 * \param devices the two devices
 * \param network the network address
 * \return the interface container
 */
Ipv4InterfaceContainer
AddressPair(const NetDeviceContainer& devices, Ipv4Address network)
{
    Ipv4AddressHelper h;
    h.SetBase(network, "255.255.255.0");
    Ipv4InterfaceContainer ifs = h.Assign(devices);
    // No queue disc (Ipv4AddressHelper installs FqCoDel): the DropTail device queue is the
    // link's only buffer, and a route change takes effect without a backlog of old packets.
    TrafficControlHelper().Uninstall(devices);
    return ifs;
}

/**
 * \param node a node \param gateway its default gateway \param interface via this interface
 */
void
SetDefault(Ptr<Node> node, Ipv4Address gateway, uint32_t interface)
{
    Ptr<Ipv4StaticRouting> r = Ipv4StaticRoutingHelper().GetStaticRouting(node->GetObject<Ipv4>());
    r->SetDefaultRoute(gateway, interface);
}

/**
 * \param rateBps rate \param delay delay \param queue queue packets \param mtu MTU
 * \return a point-to-point helper with these settings
 */
PointToPointHelper
P2p(uint64_t rateBps, Time delay, uint32_t queue, uint32_t mtu)
{
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate(rateBps)));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(mtu));
    p2p.SetChannelAttribute("Delay", TimeValue(delay));
    p2p.SetQueue("ns3::DropTailQueue<Packet>",
                 "MaxSize",
                 QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, queue)));
    return p2p;
}

} // namespace

QuicMigrationTopology
QuicMigrationTopologyHelper::Install() const
{
    std::string error = Validate();
    if (!error.empty())
    {
        NS_FATAL_ERROR("QuicMigrationTopologyHelper: " << error);
    }
    QuicMigrationTopology t;
    t.m_client = CreateObject<Node>();
    t.m_router = CreateObject<Node>();
    t.m_server = CreateObject<Node>();
    NodeContainer natNodes;
    std::vector<Ptr<Node>> natOf(m_access.size());
    for (size_t i = 0; i < m_access.size(); ++i)
    {
        if (m_access[i].m_nat)
        {
            natOf[i] = CreateObject<Node>();
            natNodes.Add(natOf[i]);
        }
    }
    if (m_attacker)
    {
        t.m_attacker = CreateObject<Node>();
    }
    if (m_victim)
    {
        t.m_victim = CreateObject<Node>();
    }

    // IPv4 only, static routing only: no global routing that a PopulateRoutingTables elsewhere
    // could fill, no IPv6 autoconfiguration traffic on the links.
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    Ipv4ListRoutingHelper list;
    list.Add(staticRouting, 0);
    stack.SetRoutingHelper(list);
    stack.SetIpv6StackInstall(false);
    NodeContainer all;
    all.Add(t.m_client);
    all.Add(t.m_router);
    all.Add(t.m_server);
    all.Add(natNodes);
    if (t.m_attacker)
    {
        all.Add(t.m_attacker);
    }
    if (t.m_victim)
    {
        all.Add(t.m_victim);
    }
    stack.Install(all);

    // Core: router - server.
    {
        NetDeviceContainer d = P2p(m_coreRateBps, m_coreDelay, 1000, 1500)
                                   .Install(NodeContainer(t.m_router, t.m_server));
        Ipv4InterfaceContainer ifs = AddressPair(d, Addr(10, 100, 0, 0));
        t.m_routerServerDevice = d.Get(0);
        t.m_serverDevice = d.Get(1);
        t.m_serverAddress = ifs.GetAddress(1);
        SetDefault(t.m_server, ifs.GetAddress(0), ifs.Get(1).second);
    }
    auto side = [this, &t](Ptr<Node> node, uint32_t net, Ipv4Address& address) {
        NetDeviceContainer d =
            P2p(m_coreRateBps, Time(0), 1000, 1500).Install(NodeContainer(t.m_router, node));
        Ipv4InterfaceContainer ifs = AddressPair(d, Addr(10, net, 0, 0));
        address = ifs.GetAddress(1);
        SetDefault(node, ifs.GetAddress(0), ifs.Get(1).second);
    };
    if (t.m_attacker)
    {
        side(t.m_attacker, 200, t.m_attackerAddress);
    }
    if (t.m_victim)
    {
        side(t.m_victim, 201, t.m_victimAddress);
    }

    Ptr<Ipv4> clientIpv4 = t.m_client->GetObject<Ipv4>();
    t.m_sourceRouting = CreateObject<QuicSourceAddressRouting>();
    Ptr<Ipv4ListRouting> clientList =
        DynamicCast<Ipv4ListRouting>(clientIpv4->GetRoutingProtocol());
    NS_ASSERT(clientList);
    clientList->AddRoutingProtocol(t.m_sourceRouting, SOURCE_ROUTING_PRIORITY);
    t.m_changer = CreateObject<QuicAddressChanger>();
    t.m_changer->SetNode(t.m_client);
    t.m_client->AggregateObject(t.m_changer);

    for (size_t i = 0; i < m_access.size(); ++i)
    {
        const QuicAccessNetworkConfig& cfg = m_access[i];
        QuicAccessNetwork a;
        a.m_config = cfg;
        Ptr<Node> gatewayNode = cfg.m_nat ? natOf[i] : t.m_router;
        NetDeviceContainer d;
        if (cfg.m_type == QuicAccessLinkType::CSMA)
        {
            CsmaHelper csma;
            csma.SetChannelAttribute("DataRate", DataRateValue(DataRate(cfg.m_dataRateBps)));
            csma.SetChannelAttribute("Delay", TimeValue(cfg.m_delay));
            csma.SetDeviceAttribute("Mtu", UintegerValue(cfg.m_mtu));
            csma.SetQueue("ns3::DropTailQueue<Packet>",
                          "MaxSize",
                          QueueSizeValue(QueueSize(QueueSizeUnit::PACKETS, cfg.m_queuePackets)));
            d = csma.Install(NodeContainer(t.m_client, gatewayNode));
        }
        else
        {
            d = P2p(cfg.m_dataRateBps, cfg.m_delay, cfg.m_queuePackets, cfg.m_mtu)
                    .Install(NodeContainer(t.m_client, gatewayNode));
        }
        a.m_clientDevice = d.Get(0);
        a.m_gatewayDevice = d.Get(1);
        a.m_uplinkLoss = MakeLoss(cfg.m_lossRate);
        a.m_downlinkLoss = MakeLoss(cfg.m_lossRate);
        if (a.m_uplinkLoss)
        {
            a.m_gatewayDevice->SetAttribute("ReceiveErrorModel", PointerValue(a.m_uplinkLoss));
            a.m_clientDevice->SetAttribute("ReceiveErrorModel", PointerValue(a.m_downlinkLoss));
        }
        uint32_t net = static_cast<uint32_t>(i + 1);
        Ipv4InterfaceContainer ifs = AddressPair(d, Addr(10, 1, net, 0));
        if (cfg.m_type == QuicAccessLinkType::CSMA)
        {
            // Static ARP entries for the two addresses of the segment, so the first packet on
            // an access is not delayed by address resolution (an RTT of the access). Addresses
            // added later (Renumber) are resolved by ARP as usual.
            NeighborCacheHelper().PopulateNeighborCache(ifs);
        }
        a.m_clientInterface = ifs.Get(0).second;
        a.m_clientAddress = ifs.GetAddress(0);
        a.m_gatewayAddress = ifs.GetAddress(1);
        a.m_mask = Ipv4Mask("255.255.255.0");
        a.m_externalAddress = a.m_clientAddress;
        t.m_sourceRouting->SetGateway(a.m_clientInterface, a.m_gatewayAddress);
        t.m_changer->SetGateway(a.m_clientInterface, a.m_gatewayAddress);
        if (cfg.m_nat)
        {
            Ptr<Node> nat = natOf[i];
            NetDeviceContainer up =
                P2p(m_coreRateBps, Time(0), 1000, 1500).Install(NodeContainer(nat, t.m_router));
            Ipv4InterfaceContainer upIfs = AddressPair(up, Addr(10, 254, net, 0));
            uint32_t inside = ifs.Get(1).second;
            uint32_t outside = upIfs.Get(0).second;
            SetDefault(nat, upIfs.GetAddress(1), outside);
            a.m_natNode = nat;
            a.m_nat = m_natFactory.Create<QuicNat>();
            a.m_nat->Attach(nat, inside, outside, upIfs.GetAddress(0));
            a.m_externalAddress = upIfs.GetAddress(0);
        }
        t.m_access.push_back(a);
    }
    const QuicAccessNetwork& def = t.m_access[m_defaultAccess];
    SetDefault(t.m_client, def.m_gatewayAddress, def.m_clientInterface);
    return t;
}

int64_t
QuicMigrationTopologyHelper::AssignStreams(const QuicMigrationTopology& topology, int64_t stream)
{
    int64_t current = stream;
    for (const auto& a : topology.m_access)
    {
        if (a.m_uplinkLoss)
        {
            current += a.m_uplinkLoss->AssignStreams(current);
        }
        if (a.m_downlinkLoss)
        {
            current += a.m_downlinkLoss->AssignStreams(current);
        }
        if (a.m_nat)
        {
            current += a.m_nat->AssignStreams(current);
        }
    }
    return current - stream;
}

bool
QuicMigrationTopologyHelper::ParseAccessList(const std::string& text,
                                             std::vector<QuicAccessNetworkConfig>& out,
                                             std::string& error)
{
    out.clear();
    std::vector<std::string> entries;
    {
        std::string cur;
        for (char c : text)
        {
            if (c == ';')
            {
                entries.push_back(cur);
                cur.clear();
            }
            else if (c != ' ')
            {
                cur.push_back(c);
            }
        }
        entries.push_back(cur);
    }
    for (size_t i = 0; i < entries.size(); ++i)
    {
        const std::string& e = entries[i];
        std::string prefix = "access " + std::to_string(i) + " (\"" + e + "\"): ";
        if (e.empty())
        {
            error = prefix + "empty entry";
            return false;
        }
        QuicAccessNetworkConfig cfg;
        size_t colon = e.find(':');
        std::string type = e.substr(0, colon);
        if (type == "p2p")
        {
            cfg.m_type = QuicAccessLinkType::POINT_TO_POINT;
        }
        else if (type == "csma")
        {
            cfg.m_type = QuicAccessLinkType::CSMA;
        }
        else
        {
            error = prefix + "unknown link type '" + type + "' (p2p, csma)";
            return false;
        }
        std::string rest = colon == std::string::npos ? "" : e.substr(colon + 1);
        size_t pos = 0;
        while (colon != std::string::npos && pos <= rest.size())
        {
            size_t comma = rest.find(',', pos);
            std::string kv =
                rest.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            pos = comma == std::string::npos ? rest.size() + 1 : comma + 1;
            size_t eq = kv.find('=');
            if (eq == std::string::npos || eq == 0)
            {
                error = prefix + "expected KEY=VALUE, got '" + kv + "'";
                return false;
            }
            std::string key = kv.substr(0, eq);
            std::string value = kv.substr(eq + 1);
            bool ok = true;
            try
            {
                size_t used = 0;
                if (key == "rate")
                {
                    ok = ParseScenarioDataRate(value, cfg.m_dataRateBps) && cfg.m_dataRateBps > 0;
                }
                else if (key == "delay")
                {
                    ok = ParseScenarioTime(value, cfg.m_delay) && !cfg.m_delay.IsNegative();
                }
                else if (key == "loss")
                {
                    cfg.m_lossRate = std::stod(value, &used);
                    ok = used == value.size() && cfg.m_lossRate >= 0.0 && cfg.m_lossRate < 1.0;
                }
                else if (key == "queue" || key == "mtu")
                {
                    if (value.empty() || value[0] == '-')
                    {
                        ok = false;
                    }
                    else
                    {
                        unsigned long v = std::stoul(value, &used);
                        ok = used == value.size() && v >= 1 && v <= 65535;
                        (key == "queue" ? cfg.m_queuePackets : cfg.m_mtu) =
                            static_cast<uint32_t>(v);
                        ok = ok && (key == "queue" || v >= 1280);
                    }
                }
                else if (key == "nat")
                {
                    ok = value == "0" || value == "1";
                    cfg.m_nat = value == "1";
                }
                else
                {
                    error =
                        prefix + "unknown key '" + key + "' (rate, delay, loss, queue, mtu, nat)";
                    return false;
                }
            }
            catch (const std::exception&)
            {
                ok = false;
            }
            if (!ok)
            {
                error = prefix + "bad value for " + key + ": '" + value + "'";
                return false;
            }
        }
        out.push_back(cfg);
    }
    if (out.size() > MAX_ACCESS_NETWORKS)
    {
        error = "too many access networks (at most " + std::to_string(MAX_ACCESS_NETWORKS) + ")";
        return false;
    }
    return true;
}

std::string
QuicMigrationTopologyHelper::AccessToString(const QuicAccessNetworkConfig& c)
{
    std::ostringstream os;
    os << QuicAccessLinkTypeName(c.m_type) << ":rate=" << c.m_dataRateBps << "bps"
       << ",delay=" << c.m_delay.GetNanoSeconds() << "ns"
       << ",loss=" << c.m_lossRate << ",queue=" << c.m_queuePackets << ",mtu=" << c.m_mtu
       << ",nat=" << (c.m_nat ? 1 : 0);
    return os.str();
}

} // namespace ns3

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-nat.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/ipv4-interface-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/ipv6-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <limits>
#include <sstream>

namespace
{

/// IP protocol number of UDP.
constexpr uint8_t UDP_PROTOCOL = 17;
/// Size of the UDP header (RFC 768).
constexpr uint32_t UDP_HEADER_SIZE = 8;
/// Expired bindings removed at most per translated datagram (bounded cleanup).
constexpr uint32_t SWEEP_PER_PACKET = 4;
/// Random draws tried before a linear search for a free port.
constexpr uint32_t RANDOM_PORT_TRIES = 16;
/// Peers remembered per binding for address(-and-port)-dependent filtering.
constexpr size_t MAX_REMOTES_PER_BINDING = 16;

/**
 * \brief Update a ones'-complement checksum for changed 16-bit words (RFC 1624, eqn. 3).
 * \param checksum the checksum in the packet (host order of the big-endian field)
 * \param oldWords the words replaced
 * \param newWords their replacements
 * \return the new checksum; 0 becomes 0xffff, as UDP transmits a computed zero (RFC 768)
 */
uint16_t
AdjustChecksum(uint16_t checksum,
               const std::array<uint16_t, 3>& oldWords,
               const std::array<uint16_t, 3>& newWords)
{
    uint32_t sum = static_cast<uint16_t>(~checksum);
    for (size_t i = 0; i < oldWords.size(); ++i)
    {
        sum += static_cast<uint16_t>(~oldWords[i]);
        sum += newWords[i];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    auto result = static_cast<uint16_t>(~sum);
    return result == 0 ? 0xffff : result;
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicNat");

NS_OBJECT_ENSURE_REGISTERED(QuicNat);

TypeId
QuicNat::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicNat")
            .SetParent<QuicRoutingWrapper>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicNat>()
            .AddAttribute("BindingTimeout",
                          "Idle time after which a binding expires. Default 120 s, the least "
                          "RFC 4787 REQ-5 allows for UDP (REQ-5c recommends 5 min); many "
                          "deployed NATs use about 30 s, hence the 30 s keep-alive hint of "
                          "RFC 9000 §10.1.2 (NAT-05). 0 = bindings never expire",
                          TimeValue(Seconds(120)),
                          MakeTimeAccessor(&QuicNat::m_bindingTimeout),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MaxBindings",
                          "Largest number of live bindings; new flows beyond are dropped "
                          "(Drop trace, TABLE_FULL)",
                          UintegerValue(65535),
                          MakeUintegerAccessor(&QuicNat::m_maxBindings),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("MinPort",
                          "Lowest external port handed out (RFC 4787 §4.2)",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&QuicNat::m_minPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("MaxPort",
                          "Highest external port handed out (RFC 4787 §4.2)",
                          UintegerValue(65535),
                          MakeUintegerAccessor(&QuicNat::m_maxPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute(
                "PortAllocation",
                "How external ports are chosen: uniformly at random in "
                "[MinPort, MaxPort] or sequentially (RFC 4787 §4.2.1)",
                EnumValue(QuicNat::RANDOM),
                MakeEnumAccessor(&QuicNat::m_portAllocation),
                MakeEnumChecker(QuicNat::RANDOM, "Random", QuicNat::SEQUENTIAL, "Sequential"))
            .AddAttribute("PreservePortParity",
                          "Give an external port of the same parity as the internal port "
                          "when one is free (RFC 4787 REQ-4)",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicNat::m_preservePortParity),
                          MakeBooleanChecker())
            .AddAttribute("InboundRefresh",
                          "Inbound datagrams refresh the binding they use (RFC 4787 §4.3; "
                          "outbound ones always do, REQ-6)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicNat::m_inboundRefresh),
                          MakeBooleanChecker())
            .AddAttribute("Filtering",
                          "Which external endpoints may send to a binding (RFC 4787 §5, "
                          "REQ-8): any, addresses the internal endpoint sent to, or "
                          "(address, port) pairs it sent to",
                          EnumValue(QuicNat::ENDPOINT_INDEPENDENT),
                          MakeEnumAccessor(&QuicNat::m_filtering),
                          MakeEnumChecker(QuicNat::ENDPOINT_INDEPENDENT,
                                          "EndpointIndependent",
                                          QuicNat::ADDRESS_DEPENDENT,
                                          "AddressDependent",
                                          QuicNat::ADDRESS_AND_PORT_DEPENDENT,
                                          "AddressAndPortDependent"))
            .AddAttribute("DropNonUdp",
                          "Drop non-UDP packets crossing the NAT (Drop trace, NOT_UDP) "
                          "instead of forwarding them untranslated",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicNat::m_dropNonUdp),
                          MakeBooleanChecker())
            .AddAttribute("RebindStart",
                          "Simulation time of the first scheduled rebinding (NAT-01); 0 = "
                          "never. Read by Attach()",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&QuicNat::m_rebindStart),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RebindInterval",
                          "Period of scheduled rebindings after the first; 0 = only once. "
                          "Read by Attach()",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&QuicNat::m_rebindInterval),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute(
                "RebindMode",
                "What a scheduled rebinding changes: the external port of every "
                "binding, or the external address (next address of the pool) and "
                "the ports (RFC 9000 §9.3, §9.4: port-only vs address change)",
                EnumValue(QuicNat::REBIND_PORT),
                MakeEnumAccessor(&QuicNat::m_rebindMode),
                MakeEnumChecker(QuicNat::REBIND_PORT, "Port", QuicNat::REBIND_ADDRESS, "Address"))
            .AddTraceSource("BindingCreated",
                            "A binding was created for a new internal endpoint",
                            MakeTraceSourceAccessor(&QuicNat::m_bindingCreatedTrace),
                            "ns3::QuicNat::BindingTracedCallback")
            .AddTraceSource("BindingExpired",
                            "An idle binding was removed (BindingTimeout)",
                            MakeTraceSourceAccessor(&QuicNat::m_bindingExpiredTrace),
                            "ns3::QuicNat::BindingTracedCallback")
            .AddTraceSource("Rebind",
                            "A binding got a new external endpoint; the old one is dead",
                            MakeTraceSourceAccessor(&QuicNat::m_rebindTrace),
                            "ns3::QuicNat::RebindTracedCallback")
            .AddTraceSource("Drop",
                            "The NAT dropped a datagram",
                            MakeTraceSourceAccessor(&QuicNat::m_dropTrace),
                            "ns3::QuicNat::DropTracedCallback")
            .AddTraceSource("Translated",
                            "A datagram was translated",
                            MakeTraceSourceAccessor(&QuicNat::m_translatedTrace),
                            "ns3::QuicNat::TranslatedTracedCallback");
    return tid;
}

std::string
QuicNat::DropReasonName(DropReason reason)
{
    switch (reason)
    {
    case NO_BINDING:
        return "NO_BINDING";
    case TABLE_FULL:
        return "TABLE_FULL";
    case PORTS_EXHAUSTED:
        return "PORTS_EXHAUSTED";
    case FILTERED:
        return "FILTERED";
    case NOT_UDP:
        return "NOT_UDP";
    case FRAGMENT:
        return "FRAGMENT";
    case MALFORMED:
        return "MALFORMED";
    }
    return "UNKNOWN";
}

QuicNat::QuicNat()
    : m_bindingTimeout(Seconds(120)),
      m_maxBindings(65535),
      m_minPort(1024),
      m_maxPort(65535),
      m_portAllocation(RANDOM),
      m_preservePortParity(false),
      m_inboundRefresh(true),
      m_filtering(ENDPOINT_INDEPENDENT),
      m_dropNonUdp(false),
      m_rebindMode(REBIND_PORT),
      m_rng(CreateObject<UniformRandomVariable>()),
      m_inside(0),
      m_outside(0),
      m_attached(false),
      m_nextPort(1024),
      m_drops{},
      m_translated{}
{
    NS_LOG_FUNCTION(this);
}

QuicNat::~QuicNat()
{
    NS_LOG_FUNCTION(this);
}

void
QuicNat::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_rebindEvent.Cancel();
    m_attached = false;
    m_byInternal.clear();
    m_byExt.clear();
    m_lru.clear();
    if (m_wrapped)
    {
        m_wrapped->Dispose();
    }
    m_node = nullptr;
    m_rng = nullptr;
    QuicRoutingWrapper::DoDispose();
}

std::string
QuicNat::CheckAttach(Ptr<Node> router,
                     uint32_t insideInterface,
                     uint32_t outsideInterface,
                     const Address& externalAddress)
{
    std::ostringstream os;
    if (!router)
    {
        return "QuicNat: no router node given";
    }
    if (Ipv6Address::IsMatchingType(externalAddress) ||
        Inet6SocketAddress::IsMatchingType(externalAddress))
    {
        os << "QuicNat: the external address of node " << router->GetId()
           << " is an IPv6 address; the NAT model is IPv4 only (IPv6 NAT, e.g. NPTv6, is not "
              "modelled)";
        return os.str();
    }
    if (!Ipv4Address::IsMatchingType(externalAddress))
    {
        os << "QuicNat: the external address of node " << router->GetId()
           << " is not an IPv4 address";
        return os.str();
    }
    Ptr<Ipv4> ipv4 = router->GetObject<Ipv4>();
    if (!ipv4)
    {
        os << "QuicNat: node " << router->GetId()
           << " has no IPv4 stack; install the Internet stack first (the NAT model is IPv4 "
              "only)";
        return os.str();
    }
    const uint32_t n = ipv4->GetNInterfaces();
    if (insideInterface == 0 || outsideInterface == 0 || insideInterface >= n ||
        outsideInterface >= n)
    {
        os << "QuicNat: node " << router->GetId() << " has IPv4 interfaces 1.." << n - 1
           << " (0 is the loopback); inside " << insideInterface << " and outside "
           << outsideInterface << " must be among them";
        return os.str();
    }
    if (insideInterface == outsideInterface)
    {
        os << "QuicNat: inside and outside interface of node " << router->GetId() << " are both "
           << insideInterface;
        return os.str();
    }
    if (router->GetObject<QuicNat>())
    {
        os << "QuicNat: node " << router->GetId() << " already has a NAT";
        return os.str();
    }
    if (!ipv4->GetRoutingProtocol())
    {
        os << "QuicNat: node " << router->GetId() << " has no IPv4 routing protocol to wrap";
        return os.str();
    }
    return "";
}

void
QuicNat::Attach(Ptr<Node> router,
                uint32_t insideInterface,
                uint32_t outsideInterface,
                Ipv4Address externalAddress)
{
    NS_LOG_FUNCTION(this << router << insideInterface << outsideInterface << externalAddress);
    if (m_attached)
    {
        NS_FATAL_ERROR("QuicNat: this NAT is already attached to node " << m_node->GetId());
    }
    std::string error = CheckAttach(router, insideInterface, outsideInterface, externalAddress);
    if (!error.empty())
    {
        NS_FATAL_ERROR(error);
    }
    if (m_minPort > m_maxPort)
    {
        NS_FATAL_ERROR("QuicNat: MinPort " << m_minPort << " is above MaxPort " << m_maxPort);
    }
    m_node = router;
    m_ipv4 = router->GetObject<Ipv4>();
    m_inside = insideInterface;
    m_outside = outsideInterface;
    AddExternalAddress(externalAddress);
    m_externalAddress = externalAddress;
    m_nextPort = m_minPort;
    m_attached = true;
    Wrap(m_ipv4);
    router->AggregateObject(this);
    if (m_rebindStart.IsStrictlyPositive())
    {
        Time delay = std::max(Time(0), m_rebindStart - Simulator::Now());
        // In the router's context; the Ptr keeps the NAT alive until the event ran or was
        // destroyed, and ScheduledRebind does nothing once the NAT is disposed.
        Simulator::ScheduleWithContext(router->GetId(),
                                       delay,
                                       &QuicNat::ScheduledRebind,
                                       Ptr<QuicNat>(this));
    }
}

bool
QuicNat::IsAttached() const
{
    return m_attached;
}

uint32_t
QuicNat::GetInsideInterface() const
{
    return m_inside;
}

uint32_t
QuicNat::GetOutsideInterface() const
{
    return m_outside;
}

Ipv4Address
QuicNat::GetExternalAddress() const
{
    return m_externalAddress;
}

void
QuicNat::AddExternalAddress(Ipv4Address address)
{
    NS_LOG_FUNCTION(this << address);
    if (!IsExternalAddress(address))
    {
        m_addresses.push_back(address);
    }
}

std::vector<Ipv4Address>
QuicNat::GetExternalAddresses() const
{
    return m_addresses;
}

bool
QuicNat::IsExternalAddress(Ipv4Address address) const
{
    return std::find(m_addresses.begin(), m_addresses.end(), address) != m_addresses.end();
}

uint64_t
QuicNat::Key(Ipv4Address address, uint16_t port)
{
    return (static_cast<uint64_t>(address.Get()) << 16) | port;
}

bool
QuicNat::IsExpired(const Entry& e) const
{
    return m_bindingTimeout.IsStrictlyPositive() &&
           Simulator::Now() - e.binding.lastUsed >= m_bindingTimeout;
}

void
QuicNat::Touch(Entry& e)
{
    e.binding.lastUsed = Simulator::Now();
    m_lru.splice(m_lru.end(), m_lru, e.lruSlot);
}

void
QuicNat::Remove(Table::iterator it, bool expired)
{
    Entry& e = it->second;
    m_byExt.erase(Key(e.binding.externalAddress, e.binding.externalPort));
    m_lru.erase(e.lruSlot);
    QuicNatBinding binding = e.binding;
    m_byInternal.erase(it);
    if (expired)
    {
        NS_LOG_LOGIC("binding " << binding.internalAddress << ":" << binding.internalPort << " -> "
                                << binding.externalAddress << ":" << binding.externalPort
                                << " expired");
        m_bindingExpiredTrace(binding);
    }
}

uint32_t
QuicNat::Sweep(uint32_t max)
{
    uint32_t removed = 0;
    if (!m_bindingTimeout.IsStrictlyPositive())
    {
        return 0;
    }
    while (removed < max && !m_lru.empty())
    {
        auto it = m_byInternal.find(m_lru.front());
        NS_ASSERT(it != m_byInternal.end());
        if (!IsExpired(it->second))
        {
            break; // the list is ordered by last use: nothing behind is expired either
        }
        Remove(it, true);
        ++removed;
    }
    return removed;
}

QuicNat::Table::iterator
QuicNat::FindLive(uint64_t internalKey)
{
    auto it = m_byInternal.find(internalKey);
    if (it != m_byInternal.end() && IsExpired(it->second))
    {
        Remove(it, true);
        return m_byInternal.end();
    }
    return it;
}

uint16_t
QuicNat::AdjustParity(uint32_t candidate, uint16_t internalPort) const
{
    if (!m_preservePortParity || (candidate & 1) == (internalPort & 1u))
    {
        return static_cast<uint16_t>(candidate);
    }
    if (candidate + 1 <= m_maxPort)
    {
        return static_cast<uint16_t>(candidate + 1);
    }
    if (candidate > m_minPort)
    {
        return static_cast<uint16_t>(candidate - 1);
    }
    return static_cast<uint16_t>(candidate);
}

bool
QuicNat::AllocatePort(Ipv4Address address, uint16_t internalPort, uint16_t& port)
{
    const uint32_t lo = m_minPort;
    const uint32_t hi = std::max<uint32_t>(m_minPort, m_maxPort);
    const uint32_t range = hi - lo + 1;
    auto isFree = [this, address](uint32_t p) {
        return m_byExt.find(Key(address, static_cast<uint16_t>(p))) == m_byExt.end();
    };
    // Linear search from start; with parity preservation, a first pass keeps the parity.
    auto scan = [&](uint32_t start) {
        for (int pass = m_preservePortParity ? 0 : 1; pass < 2; ++pass)
        {
            for (uint32_t i = 0; i < range; ++i)
            {
                uint32_t p = lo + (start - lo + i) % range;
                if (pass == 0 && (p & 1) != (internalPort & 1u))
                {
                    continue;
                }
                if (isFree(p))
                {
                    port = static_cast<uint16_t>(p);
                    return true;
                }
            }
        }
        return false;
    };

    if (m_portAllocation == RANDOM)
    {
        for (uint32_t i = 0; i < RANDOM_PORT_TRIES; ++i)
        {
            uint16_t p = AdjustParity(m_rng->GetInteger(lo, hi), internalPort);
            if (isFree(p))
            {
                port = p;
                return true;
            }
        }
        return scan(m_rng->GetInteger(lo, hi));
    }
    uint32_t start = (m_nextPort >= lo && m_nextPort <= hi) ? m_nextPort : lo;
    if (!scan(start))
    {
        return false;
    }
    m_nextPort = (port >= hi) ? lo : port + 1u;
    return true;
}

bool
QuicNat::MoveBinding(Entry& e, Ipv4Address address)
{
    uint16_t port = 0;
    if (!AllocatePort(address, e.binding.internalPort, port))
    {
        NS_LOG_WARN("no free external port to rebind " << e.binding.internalAddress << ":"
                                                       << e.binding.internalPort);
        return false;
    }
    const InetSocketAddress internal(e.binding.internalAddress, e.binding.internalPort);
    const InetSocketAddress oldExternal(e.binding.externalAddress, e.binding.externalPort);
    m_byExt.erase(Key(e.binding.externalAddress, e.binding.externalPort));
    e.binding.externalAddress = address;
    e.binding.externalPort = port;
    m_byExt[Key(address, port)] = Key(e.binding.internalAddress, e.binding.internalPort);
    const InetSocketAddress newExternal(address, port);
    NS_LOG_INFO("rebind " << e.binding.internalAddress << ":" << e.binding.internalPort << " "
                          << oldExternal.GetIpv4() << ":" << oldExternal.GetPort() << " -> "
                          << address << ":" << port);
    m_rebindTrace(internal, oldExternal, newExternal);
    return true;
}

uint32_t
QuicNat::GetBindingCount()
{
    ExpireIdleBindings();
    return static_cast<uint32_t>(m_byInternal.size());
}

std::vector<QuicNatBinding>
QuicNat::GetBindings()
{
    ExpireIdleBindings();
    std::vector<QuicNatBinding> out;
    out.reserve(m_lru.size());
    for (uint64_t key : m_lru)
    {
        out.push_back(m_byInternal.at(key).binding);
    }
    return out;
}

std::optional<InetSocketAddress>
QuicNat::GetExternalEndpoint(Ipv4Address internalAddress, uint16_t internalPort)
{
    auto it = FindLive(Key(internalAddress, internalPort));
    if (it == m_byInternal.end())
    {
        return std::nullopt;
    }
    return InetSocketAddress(it->second.binding.externalAddress, it->second.binding.externalPort);
}

std::optional<InetSocketAddress>
QuicNat::GetInternalEndpoint(Ipv4Address externalAddress, uint16_t externalPort)
{
    auto x = m_byExt.find(Key(externalAddress, externalPort));
    if (x == m_byExt.end())
    {
        return std::nullopt;
    }
    auto it = FindLive(x->second);
    if (it == m_byInternal.end())
    {
        return std::nullopt;
    }
    return InetSocketAddress(it->second.binding.internalAddress, it->second.binding.internalPort);
}

uint32_t
QuicNat::ExpireIdleBindings()
{
    return Sweep(std::numeric_limits<uint32_t>::max());
}

uint32_t
QuicNat::Rebind()
{
    NS_LOG_FUNCTION(this);
    ExpireIdleBindings();
    uint32_t rebound = 0;
    for (uint64_t key : m_lru)
    {
        if (MoveBinding(m_byInternal.at(key), m_externalAddress))
        {
            ++rebound;
        }
    }
    return rebound;
}

bool
QuicNat::Rebind(Ipv4Address internalAddress, uint16_t internalPort)
{
    NS_LOG_FUNCTION(this << internalAddress << internalPort);
    auto it = FindLive(Key(internalAddress, internalPort));
    if (it == m_byInternal.end())
    {
        return false;
    }
    return MoveBinding(it->second, m_externalAddress);
}

uint32_t
QuicNat::RebindAddress(Ipv4Address newExternalAddress)
{
    NS_LOG_FUNCTION(this << newExternalAddress);
    AddExternalAddress(newExternalAddress);
    m_externalAddress = newExternalAddress;
    ExpireIdleBindings();
    uint32_t rebound = 0;
    for (uint64_t key : m_lru)
    {
        if (MoveBinding(m_byInternal.at(key), newExternalAddress))
        {
            ++rebound;
        }
    }
    return rebound;
}

void
QuicNat::ScheduledRebind()
{
    NS_LOG_FUNCTION(this);
    if (!m_attached)
    {
        return; // disposed
    }
    if (m_rebindMode == REBIND_ADDRESS && m_addresses.size() > 1)
    {
        auto current = std::find(m_addresses.begin(), m_addresses.end(), m_externalAddress);
        size_t index = static_cast<size_t>(current - m_addresses.begin());
        RebindAddress(m_addresses[(index + 1) % m_addresses.size()]);
    }
    else
    {
        if (m_rebindMode == REBIND_ADDRESS)
        {
            NS_LOG_WARN("RebindMode=Address needs a second external address "
                        "(AddExternalAddress); rebinding ports only");
        }
        Rebind();
    }
    if (m_rebindInterval.IsStrictlyPositive())
    {
        m_rebindEvent = Simulator::Schedule(m_rebindInterval, &QuicNat::ScheduledRebind, this);
    }
}

uint64_t
QuicNat::GetDropCount(DropReason reason) const
{
    return static_cast<uint32_t>(reason) < m_drops.size() ? m_drops[reason] : 0;
}

uint64_t
QuicNat::GetTranslatedCount(Direction direction) const
{
    return static_cast<uint32_t>(direction) < m_translated.size() ? m_translated[direction] : 0;
}

int64_t
QuicNat::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    m_rng->SetStream(stream);
    return 1;
}

void
QuicNat::Drop(DropReason reason, Ptr<const Packet> p, const Ipv4Header& header)
{
    NS_LOG_LOGIC("drop " << DropReasonName(reason) << " " << header.GetSource() << " -> "
                         << header.GetDestination());
    ++m_drops[reason];
    m_dropTrace(reason, p, header);
}

bool
QuicNat::PeekPorts(Ptr<const Packet> p, uint16_t& sourcePort, uint16_t& destinationPort)
{
    if (p->GetSize() < UDP_HEADER_SIZE)
    {
        return false;
    }
    uint8_t b[UDP_HEADER_SIZE];
    p->CopyData(b, UDP_HEADER_SIZE);
    const uint32_t length = (static_cast<uint32_t>(b[4]) << 8) | b[5];
    if (length != p->GetSize())
    {
        return false; // the incremental checksum update needs the length to stay as it is
    }
    sourcePort = static_cast<uint16_t>((b[0] << 8) | b[1]);
    destinationPort = static_cast<uint16_t>((b[2] << 8) | b[3]);
    return true;
}

Ptr<Packet>
QuicNat::RewriteUdp(Ptr<const Packet> p,
                    Ipv4Address oldAddress,
                    Ipv4Address newAddress,
                    bool rewriteSource,
                    uint16_t newPort)
{
    uint8_t b[UDP_HEADER_SIZE];
    p->CopyData(b, UDP_HEADER_SIZE);
    const auto oldPort =
        static_cast<uint16_t>(rewriteSource ? (b[0] << 8) | b[1] : (b[2] << 8) | b[3]);
    const auto checksum = static_cast<uint16_t>((b[6] << 8) | b[7]);

    Ptr<Packet> q = p->Copy();
    UdpHeader udp;
    q->RemoveHeader(udp);
    if (rewriteSource)
    {
        udp.SetSourcePort(newPort);
    }
    else
    {
        udp.SetDestinationPort(newPort);
    }
    // Length 0 = "write the size of what follows": the header and the payload, unchanged.
    udp.ForcePayloadSize(0);
    if (checksum != 0)
    {
        const uint32_t oldA = oldAddress.Get();
        const uint32_t newA = newAddress.Get();
        const uint16_t updated = AdjustChecksum(
            checksum,
            {static_cast<uint16_t>(oldA >> 16), static_cast<uint16_t>(oldA & 0xffff), oldPort},
            {static_cast<uint16_t>(newA >> 16), static_cast<uint16_t>(newA & 0xffff), newPort});
        // UdpHeader writes the forced value with Buffer::Iterator::WriteU16 (low byte first):
        // pass the byte-swapped value so the field reads big-endian on the wire.
        udp.ForceChecksum(static_cast<uint16_t>((updated >> 8) | (updated << 8)));
    }
    // A zero checksum stays zero: "no checksum" (RFC 768), as ns-3 sends without checksums.
    q->AddHeader(udp);
    return q;
}

bool
QuicNat::RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb)
{
    NS_LOG_FUNCTION(this << p << header << idev);
    NS_ASSERT_MSG(m_wrapped, "QuicNat: use Attach() to install the NAT on a node");
    const int32_t iif = m_ipv4->GetInterfaceForDevice(idev);
    if (iif == static_cast<int32_t>(m_outside) && IsExternalAddress(header.GetDestination()))
    {
        if (header.GetProtocol() == UDP_PROTOCOL)
        {
            if (!header.IsLastFragment() || header.GetFragmentOffset() != 0)
            {
                Drop(FRAGMENT, p, header);
                return true;
            }
            uint16_t sport = 0;
            uint16_t dport = 0;
            if (!PeekPorts(p, sport, dport))
            {
                Drop(MALFORMED, p, header);
                return true;
            }
            if ((dport >= m_minPort && dport <= m_maxPort) ||
                m_byExt.count(Key(header.GetDestination(), dport)) != 0)
            {
                return TranslateInbound(p, header, idev, ucb, mcb, lcb, ecb);
            }
        }
        else if (m_dropNonUdp)
        {
            Drop(NOT_UDP, p, header);
            return true;
        }
        return m_wrapped->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
    }
    if (iif == static_cast<int32_t>(m_inside))
    {
        // Translation happens once the wrapped protocol decided to forward, and where to.
        UnicastForwardCallback translate = MakeCallback(&QuicNat::ForwardOutbound, this, ucb);
        return m_wrapped->RouteInput(p, header, idev, translate, mcb, lcb, ecb);
    }
    return m_wrapped->RouteInput(p, header, idev, ucb, mcb, lcb, ecb);
}

bool
QuicNat::TranslateInbound(Ptr<const Packet> p,
                          const Ipv4Header& header,
                          Ptr<const NetDevice> idev,
                          UnicastForwardCallback ucb,
                          MulticastForwardCallback mcb,
                          LocalDeliverCallback lcb,
                          ErrorCallback ecb)
{
    Sweep(SWEEP_PER_PACKET);
    uint16_t sport = 0;
    uint16_t dport = 0;
    PeekPorts(p, sport, dport);
    auto x = m_byExt.find(Key(header.GetDestination(), dport));
    if (x == m_byExt.end())
    {
        Drop(NO_BINDING, p, header);
        return true;
    }
    auto it = FindLive(x->second);
    if (it == m_byInternal.end())
    {
        Drop(NO_BINDING, p, header);
        return true;
    }
    Entry& e = it->second;
    if (m_filtering != ENDPOINT_INDEPENDENT)
    {
        const uint64_t remote = Key(header.GetSource(), sport);
        const bool portToo = m_filtering == ADDRESS_AND_PORT_DEPENDENT;
        bool allowed = std::any_of(e.remotes.begin(), e.remotes.end(), [&](uint64_t r) {
            return portToo ? r == remote : (r >> 16) == (remote >> 16);
        });
        if (!allowed)
        {
            Drop(FILTERED, p, header);
            return true;
        }
    }
    if (m_inboundRefresh)
    {
        Touch(e);
    }
    ++e.binding.packetsIn;
    const Ipv4Address internalAddress = e.binding.internalAddress;
    const uint16_t internalPort = e.binding.internalPort;
    Ptr<Packet> q = RewriteUdp(p, header.GetDestination(), internalAddress, false, internalPort);
    Ipv4Header h = header;
    h.SetDestination(internalAddress);
    ++m_translated[INBOUND];
    if (!m_translatedTrace.IsEmpty())
    {
        m_translatedTrace(INBOUND,
                          InetSocketAddress(header.GetSource(), sport),
                          InetSocketAddress(header.GetDestination(), dport),
                          InetSocketAddress(internalAddress, internalPort));
    }
    return m_wrapped->RouteInput(q, h, idev, ucb, mcb, lcb, ecb);
}

void
QuicNat::ForwardOutbound(UnicastForwardCallback ucb,
                         Ptr<Ipv4Route> route,
                         Ptr<const Packet> p,
                         const Ipv4Header& header)
{
    NS_LOG_FUNCTION(this << route << p << header);
    if (m_ipv4->GetInterfaceForDevice(route->GetOutputDevice()) != static_cast<int32_t>(m_outside))
    {
        ucb(route, p, header); // inside to another inside network: routed untranslated
        return;
    }
    if (header.GetProtocol() != UDP_PROTOCOL)
    {
        if (m_dropNonUdp)
        {
            Drop(NOT_UDP, p, header);
        }
        else
        {
            ucb(route, p, header);
        }
        return;
    }
    if (!header.IsLastFragment() || header.GetFragmentOffset() != 0)
    {
        Drop(FRAGMENT, p, header);
        return;
    }
    uint16_t sport = 0;
    uint16_t dport = 0;
    if (!PeekPorts(p, sport, dport))
    {
        Drop(MALFORMED, p, header);
        return;
    }
    Sweep(SWEEP_PER_PACKET);
    const Ipv4Address source = header.GetSource();
    const uint64_t internalKey = Key(source, sport);
    auto it = FindLive(internalKey);
    if (it == m_byInternal.end())
    {
        if (m_byInternal.size() >= m_maxBindings)
        {
            ExpireIdleBindings();
            if (m_byInternal.size() >= m_maxBindings)
            {
                Drop(TABLE_FULL, p, header);
                return;
            }
        }
        uint16_t port = 0;
        if (!AllocatePort(m_externalAddress, sport, port))
        {
            Drop(PORTS_EXHAUSTED, p, header);
            return;
        }
        Entry entry;
        entry.binding.internalAddress = source;
        entry.binding.internalPort = sport;
        entry.binding.externalAddress = m_externalAddress;
        entry.binding.externalPort = port;
        entry.binding.created = Simulator::Now();
        entry.binding.lastUsed = Simulator::Now();
        entry.lruSlot = m_lru.insert(m_lru.end(), internalKey);
        it = m_byInternal.emplace(internalKey, std::move(entry)).first;
        m_byExt[Key(m_externalAddress, port)] = internalKey;
        NS_LOG_INFO("new binding " << source << ":" << sport << " -> " << m_externalAddress << ":"
                                   << port);
        m_bindingCreatedTrace(it->second.binding);
    }
    else
    {
        Touch(it->second);
    }
    Entry& e = it->second;
    ++e.binding.packetsOut;
    if (m_filtering != ENDPOINT_INDEPENDENT)
    {
        const uint64_t remote = Key(header.GetDestination(), dport);
        if (std::find(e.remotes.begin(), e.remotes.end(), remote) == e.remotes.end())
        {
            if (e.remotes.size() >= MAX_REMOTES_PER_BINDING)
            {
                e.remotes.erase(e.remotes.begin());
            }
            e.remotes.push_back(remote);
        }
    }
    const Ipv4Address externalAddress = e.binding.externalAddress;
    const uint16_t externalPort = e.binding.externalPort;
    Ptr<Packet> q = RewriteUdp(p, source, externalAddress, true, externalPort);
    Ipv4Header h = header;
    h.SetSource(externalAddress);
    ++m_translated[OUTBOUND];
    if (!m_translatedTrace.IsEmpty())
    {
        m_translatedTrace(OUTBOUND,
                          InetSocketAddress(header.GetDestination(), dport),
                          InetSocketAddress(source, sport),
                          InetSocketAddress(externalAddress, externalPort));
    }
    ucb(route, q, h);
}

void
QuicNat::PrintState(std::ostream& os) const
{
    os << "QuicNat";
    if (m_node)
    {
        os << " on node " << m_node->GetId();
    }
    os << ": inside interface " << m_inside << ", outside interface " << m_outside
       << ", external address " << m_externalAddress << ", " << m_byInternal.size()
       << " bindings (expired ones included until swept)";
}

} // namespace ns3

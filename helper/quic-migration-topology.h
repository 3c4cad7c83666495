/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_MIGRATION_TOPOLOGY_H
#define QUIC_MIGRATION_TOPOLOGY_H

#include "ns3/data-rate.h"
#include "ns3/error-model.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/quic-address-change.h"
#include "ns3/quic-nat.h"
#include "ns3/quic-source-routing.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Link technology of an access network.
 */
enum class QuicAccessLinkType
{
    POINT_TO_POINT, ///< PointToPointHelper link (client, gateway)
    CSMA,           ///< CsmaHelper segment with the client and the gateway. ns-3's CsmaChannel
                    ///< stays busy for the propagation delay after each frame: keep the delay
                    ///< LAN-like (microseconds) for bulk traffic, or the throughput collapses
};

/**
 * \ingroup quic-migration
 * \param type a link type
 * \return "p2p" or "csma"
 */
const char* QuicAccessLinkTypeName(QuicAccessLinkType type);

/**
 * \ingroup quic-migration
 * \brief How one access network of the client is built.
 */
struct QuicAccessNetworkConfig
{
    QuicAccessLinkType m_type{QuicAccessLinkType::POINT_TO_POINT}; //!< link technology
    uint64_t m_dataRateBps{10000000}; //!< data rate, bit/s, each direction. Default 10 Mbps
    Time m_delay{MilliSeconds(10)};   //!< one-way propagation delay. Default 10 ms
    double m_lossRate{0.0};           //!< random packet loss (RateErrorModel, packets), [0,1)
    uint32_t m_queuePackets{100};     //!< DropTail device queue, packets (>= 1)
    uint32_t m_mtu{1500};             //!< device MTU, bytes
    bool m_nat{false};                //!< put a QuicNat (own NAT node) behind this access
};

/**
 * \ingroup quic-migration
 * \brief One access network as built by QuicMigrationTopologyHelper::Install().
 */
struct QuicAccessNetwork
{
    QuicAccessNetworkConfig m_config;   //!< how it was built
    uint32_t m_clientInterface{0};      //!< IPv4 interface index on the client
    Ptr<NetDevice> m_clientDevice;      //!< the client's device
    Ptr<NetDevice> m_gatewayDevice;     //!< the other end (router or NAT node, inside)
    Ipv4Address m_clientAddress;        //!< the client's address on this access
    Ipv4Address m_gatewayAddress;       //!< the gateway's address (client's next hop)
    Ipv4Mask m_mask;                    //!< the access subnet mask
    Ptr<Node> m_natNode;                //!< the NAT node (null without NAT)
    Ptr<QuicNat> m_nat;                 //!< the NAT (null without NAT)
    Ipv4Address m_externalAddress;      //!< address the server sees (NAT external or client)
    Ptr<RateErrorModel> m_uplinkLoss;   //!< loss of packets the gateway receives (or null)
    Ptr<RateErrorModel> m_downlinkLoss; //!< loss of packets the client receives (or null)
};

/**
 * \ingroup quic-migration
 * \brief Everything QuicMigrationTopologyHelper::Install() built.
 */
struct QuicMigrationTopology
{
    Ptr<Node> m_client;                            //!< the multi-homed client
    Ptr<Node> m_router;                            //!< the router every access leads to
    Ptr<Node> m_server;                            //!< the server
    Ptr<Node> m_attacker;                          //!< attacker node on the router (or null)
    Ptr<Node> m_victim;                            //!< victim node on the router (or null)
    Ipv4Address m_serverAddress;                   //!< the server's address
    Ipv4Address m_attackerAddress;                 //!< the attacker's address (if any)
    Ipv4Address m_victimAddress;                   //!< the victim's address (if any)
    std::vector<QuicAccessNetwork> m_access;       //!< the access networks, in order of creation
    Ptr<QuicSourceAddressRouting> m_sourceRouting; //!< the client's source-address routing
    Ptr<QuicAddressChanger> m_changer;             //!< address changes of the client
    Ptr<NetDevice> m_serverDevice;                 //!< the server's device
    Ptr<NetDevice> m_routerServerDevice;           //!< the router's device toward the server

    /// \return every node: client, router, server, NAT nodes, attacker, victim
    NodeContainer GetNodes() const;
};

/**
 * \ingroup quic-migration
 * \brief Builds the multi-access topology of migration experiments (DESIGN.md layer 4).
 *
 * \verbatim
 *                  access 0 (p2p|csma)
 *    client ---------------------------- router ---- core p2p ---- server
 *      |   access 1 (p2p|csma)            | |  \
 *      +------------------- [NAT node] ---+ |   attacker (optional)
 *                            (uplink p2p)   victim (optional)
 * \endverbatim
 *
 * Addresses (IPv4 only; IPv6 is not built): access i is 10.1.(i+1).0/24 with the client at .1
 * and its gateway (the router, or the inside interface of the access's NAT node) at .2. A NAT
 * node reaches the router through an uplink 10.254.(i+1).0/24 (NAT .1 = external address,
 * router .2; CoreDataRate, zero delay). The server is 10.100.0.2/24 behind the router's
 * 10.100.0.1 (core link: CoreDataRate, CoreDelay), the attacker 10.200.0.2, the victim
 * 10.201.0.2 (each on its own point-to-point link to the router, core rate, zero delay).
 *
 * Routing is static: the client has a default route through the default access (SetDefault
 * Access, initially access 0) and a QuicSourceAddressRouting (priority 10, above static
 * routing) that sends packets of a socket bound to an access's address out of that access;
 * NAT nodes, server, attacker and victim have a default route to the router; the router
 * knows its connected networks only. So a socket bound to the any-address follows the
 * default route, a socket bound to an access address stays on its access.
 *
 * No queue disc is installed on any device: the DropTail device queue is a link's only buffer.
 * CSMA accesses get static ARP entries for the client's and the gateway's first addresses
 * (NeighborCacheHelper), so no address resolution delays the first packets on an access.
 * Each access has its own data rate, delay, DropTail queue, MTU and random loss (a
 * RateErrorModel per direction, installed as ReceiveErrorModel of the receiving device, so a
 * lost packet crossed the link). NATs are created from an ObjectFactory (SetNatAttribute) and
 * attached with QuicNatHelper semantics. AssignStreams() fixes every random stream (error
 * models, NATs). The client's QuicAddressChanger knows every access's gateway.
 */
class QuicMigrationTopologyHelper
{
  public:
    QuicMigrationTopologyHelper();

    /**
     * \brief Add an access network of the client.
     * \param config how to build it
     * \return its index
     */
    uint32_t AddAccessNetwork(const QuicAccessNetworkConfig& config);

    /// \return the access networks added so far
    const std::vector<QuicAccessNetworkConfig>& GetAccessNetworks() const;

    /**
     * \param rateBps data rate of the router-server link (and the uplinks, attacker and
     *        victim links), bit/s. Default 1 Gbps
     */
    void SetCoreDataRate(uint64_t rateBps);

    /// \param delay one-way delay of the router-server link. Default 1 ms
    void SetCoreDelay(Time delay);

    /// \param index access whose gateway carries the client's default route. Default 0
    void SetDefaultAccess(uint32_t index);

    /// \param enable add an attacker node on the router
    void SetAttacker(bool enable);

    /// \param enable add a victim node on the router
    void SetVictim(bool enable);

    /**
     * \brief Set an attribute of the NATs created for accesses with m_nat.
     * \param name QuicNat attribute name
     * \param value its value
     */
    void SetNatAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Check the configuration without building anything.
     * \return an empty string if Install() would succeed, else a one-line reason
     */
    std::string Validate() const;

    /**
     * \brief Create the nodes, links, addresses, routes and NATs.
     *
     * Aborts (NS_FATAL_ERROR) on a configuration Validate() rejects: call Validate() first
     * with user input.
     * \return what was built
     */
    QuicMigrationTopology Install() const;

    /**
     * \brief Fix the random streams of a topology's error models and NATs.
     * \param topology what Install() returned
     * \param stream first stream index
     * \return number of streams used
     */
    static int64_t AssignStreams(const QuicMigrationTopology& topology, int64_t stream);

    /**
     * \brief Parse an access-network list, e.g.
     * `p2p:rate=10Mbps,delay=15ms;csma:rate=100Mbps,delay=5ms,nat=1`.
     *
     * Entries are separated by ';', each is `TYPE[:KEY=VALUE[,KEY=VALUE...]]` with TYPE p2p or
     * csma and keys rate (DataRate syntax), delay (time with unit), loss ([0,1)), queue
     * (packets), mtu (bytes), nat (0/1). Unset keys keep the QuicAccessNetworkConfig defaults.
     * \param text the list
     * \param out the parsed accesses (replaced)
     * \param error set to a one-line message when false is returned
     * \return false on malformed text or out-of-range values
     */
    static bool ParseAccessList(const std::string& text,
                                std::vector<QuicAccessNetworkConfig>& out,
                                std::string& error);

    /**
     * \param config an access \return its text form (as ParseAccessList reads it)
     */
    static std::string AccessToString(const QuicAccessNetworkConfig& config);

  private:
    std::vector<QuicAccessNetworkConfig> m_access; //!< access networks
    uint64_t m_coreRateBps;                        //!< core data rate
    Time m_coreDelay;                              //!< core delay
    uint32_t m_defaultAccess;                      //!< default-route access
    bool m_attacker;                               //!< build an attacker node
    bool m_victim;                                 //!< build a victim node
    ObjectFactory m_natFactory;                    //!< creates the NATs
};

} // namespace ns3

#endif /* QUIC_MIGRATION_TOPOLOGY_H */

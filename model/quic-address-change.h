/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ADDRESS_CHANGE_H
#define QUIC_ADDRESS_CHANGE_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/quic-connection.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <string>

namespace ns3
{

class Node;
class Ipv4;

/**
 * \ingroup quic-migration
 * \brief The kinds of address change QuicAddressChanger performs.
 */
enum class QuicAddressChangeAction
{
    RENUMBER,  ///< an interface's address replaced (DHCP-like lease change)
    LINK_DOWN, ///< Ipv4::SetDown on an interface
    LINK_UP,   ///< Ipv4::SetUp on an interface
    ROUTE,     ///< the default route moved to another interface (Wi-Fi to cellular)
    MIGRATE,   ///< a client connection asked to migrate to an interface (RFC 9000 §9.2)
};

/**
 * \ingroup quic-migration
 * \param action an action
 * \return its name: "renumber", "linkdown", "linkup", "route", "migrate"
 */
const char* QuicAddressChangeActionName(QuicAddressChangeAction action);

/**
 * \ingroup quic-migration
 * \brief What one address-change action did (trace AddressChange).
 */
struct QuicAddressChangeEvent
{
    QuicAddressChangeAction m_action{QuicAddressChangeAction::RENUMBER}; //!< the action
    uint32_t m_interface{0};  //!< IPv4 interface index acted on (ROUTE: the new one)
    Ipv4Address m_oldAddress; //!< RENUMBER: the address removed; ROUTE: old gateway
    Ipv4Address m_newAddress; //!< RENUMBER: the address added; ROUTE: new gateway;
                              //!< MIGRATE: the local address migrated to
    bool m_ok{false};         //!< the action succeeded
    std::string m_detail;     //!< one-line description (why it failed, if it did)
};

/**
 * \ingroup quic-migration
 * \brief Address changes on a multi-homed client host, now or at a scheduled time.
 *
 * Models what happens to a mobile host's addresses (DESIGN.md layer 4; RFC 9000 §9):
 *  - Renumber(): a DHCP-like lease change. The interface's address is removed and a new one
 *    added (same subnet and mask; by default the old host number plus RenumberOffset); static
 *    routing re-adds the connected route, and a default route through the interface is
 *    restored. A socket bound to the any-address now sends with the new source address, so
 *    the peer sees an address change it has to validate (MIG-04, NAT-01); a socket bound to
 *    the old address is left behind (its packets still carry the old address).
 *  - SetInterfaceDown() / SetInterfaceUp(): Ipv4::SetDown / SetUp. Static routing drops every
 *    route through a downed interface, the default route included; bringing it up restores
 *    the connected route only (use SetDefaultRoute() to move the default route back).
 *  - SetDefaultRoute(): replaces the static default route by one through another interface
 *    (to the gateway registered with SetGateway()): the Wi-Fi to cellular switch of a phone.
 *    Sockets bound to the any-address move with it (new source address), sockets bound to an
 *    address keep their interface when QuicSourceAddressRouting is installed.
 *  - MigrateConnection(): QuicConnection::Migrate to the first address of an interface (new
 *    ephemeral port), with either policy.
 *
 * Every action fires the trace AddressChange once, successful or not; a failing action (bad
 * interface, no address, connection refused) never aborts. The Schedule* methods run the
 * action at an absolute simulation time in the node's context. IPv4 only.
 */
class QuicAddressChanger : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicAddressChanger();
    ~QuicAddressChanger() override;

    /**
     * \brief Set the host whose addresses change (IPv4 stack with static routing).
     * \param node the node
     */
    void SetNode(Ptr<Node> node);

    /// \return the node
    Ptr<Node> GetNode() const;

    /**
     * \brief Register the gateway of an interface (used by SetDefaultRoute and Renumber).
     * \param interface IPv4 interface index
     * \param gateway next hop on that interface's network
     */
    void SetGateway(uint32_t interface, Ipv4Address gateway);

    /**
     * \brief Replace the first address of an interface.
     * \param interface IPv4 interface index
     * \param newAddress the new address; the any-address (default) picks the old host number
     *        plus RenumberOffset in the same subnet
     * \return true on success
     */
    bool Renumber(uint32_t interface, Ipv4Address newAddress = Ipv4Address::GetAny());

    /**
     * \brief Ipv4::SetDown on an interface.
     * \param interface IPv4 interface index
     * \return true on success
     */
    bool SetInterfaceDown(uint32_t interface);

    /**
     * \brief Ipv4::SetUp on an interface.
     * \param interface IPv4 interface index
     * \return true on success
     */
    bool SetInterfaceUp(uint32_t interface);

    /**
     * \brief Make the static default route go through an interface, to its registered gateway.
     * \param interface IPv4 interface index (must have a gateway, see SetGateway())
     * \return true on success
     */
    bool SetDefaultRoute(uint32_t interface);

    /**
     * \return the interface of the current static default route, or -1 if there is none
     */
    int32_t GetDefaultRouteInterface() const;

    /**
     * \brief Ask a client connection to migrate to the first address of an interface.
     * \param connection the client connection
     * \param interface IPv4 interface index
     * \param policy probe first or switch at once
     * \return what QuicConnection::Migrate returned (false also for a bad interface)
     */
    bool MigrateConnection(Ptr<QuicConnection> connection,
                           uint32_t interface,
                           QuicConnection::MigrationPolicy policy);

    /**
     * \brief Renumber() at an absolute simulation time.
     * \param at the time
     * \param interface interface index
     * \param newAddress the new address (any-address: automatic)
     */
    void ScheduleRenumber(Time at,
                          uint32_t interface,
                          Ipv4Address newAddress = Ipv4Address::GetAny());
    /**
     * \brief SetInterfaceDown() at an absolute simulation time.
     * \param at the time
     * \param interface interface index
     */
    void ScheduleInterfaceDown(Time at, uint32_t interface);
    /**
     * \brief SetInterfaceUp() at an absolute simulation time.
     * \param at the time
     * \param interface interface index
     */
    void ScheduleInterfaceUp(Time at, uint32_t interface);
    /**
     * \brief SetDefaultRoute() at an absolute simulation time.
     * \param at the time
     * \param interface interface index
     */
    void ScheduleDefaultRoute(Time at, uint32_t interface);
    /**
     * \brief MigrateConnection() at an absolute simulation time.
     * \param at the time
     * \param connection the client connection (may still be handshaking now)
     * \param interface interface index
     * \param policy the migration policy
     */
    void ScheduleMigration(Time at,
                           Ptr<QuicConnection> connection,
                           uint32_t interface,
                           QuicConnection::MigrationPolicy policy);

    /// TracedCallback signature for AddressChange.
    typedef void (*AddressChangeTracedCallback)(const QuicAddressChangeEvent& event);

  protected:
    void DoDispose() override;

  private:
    /**
     * \param interface an interface index
     * \param event filled with the failure when false is returned
     * \return true if the node has an IPv4 stack and the interface exists
     */
    bool CheckInterface(uint32_t interface, QuicAddressChangeEvent& event) const;
    /// \param event fire AddressChange with it
    void Report(const QuicAddressChangeEvent& event);
    /// \param at absolute time \return delay from now (never negative)
    static Time DelayTo(Time at);

    Ptr<Node> m_node;                                            //!< the host
    Ptr<Ipv4> m_ipv4;                                            //!< its IPv4 stack
    std::map<uint32_t, Ipv4Address> m_gateways;                  //!< gateway per interface
    uint32_t m_renumberOffset;                                   //!< RenumberOffset attribute
    TracedCallback<const QuicAddressChangeEvent&> m_changeTrace; //!< AddressChange
};

} // namespace ns3

#endif /* QUIC_ADDRESS_CHANGE_H */

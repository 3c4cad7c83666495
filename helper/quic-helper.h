/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_HELPER_H
#define QUIC_HELPER_H

#include "ns3/address.h"
#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Common part of the QUIC application helpers: an ObjectFactory for one
 * application type, Install() on nodes, and AssignStreams() on the nodes' endpoints.
 *
 * The derived helpers only choose the TypeId and the mandatory address attribute.
 */
class QuicApplicationHelper
{
  public:
    /**
     * \brief Set an attribute of the applications to be installed.
     * \param name attribute name
     * \param value attribute value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Install one application on a node.
     * \param node the node
     * \return a container holding the application
     */
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * \brief Install one application on a node given by name (ns-3 Names).
     * \param nodeName the node's name
     * \return a container holding the application
     */
    ApplicationContainer Install(const std::string& nodeName) const;

    /**
     * \brief Install one application on every node of a container.
     * \param c the nodes
     * \return the applications, in node order
     */
    ApplicationContainer Install(NodeContainer c) const;

    /**
     * \brief Fix the random variable streams of the nodes' QuicEndpoints (created if
     * missing) and of the connections they will create: CIDs, TLS randoms and key shares.
     * \param c the nodes
     * \param stream first stream number
     * \return number of stream numbers used
     */
    int64_t AssignStreams(NodeContainer c, int64_t stream);

  protected:
    /**
     * \param typeId the application's TypeId name
     */
    explicit QuicApplicationHelper(const std::string& typeId);

  private:
    /**
     * \param node the node
     * \return the new application, added to the node
     */
    Ptr<Application> InstallPriv(Ptr<Node> node) const;

    ObjectFactory m_factory; //!< application factory
};

/**
 * \ingroup quic-migration
 * \brief Installs QuicBulkSendApplication (QUIC client sending one bulk stream).
 */
class QuicBulkSendHelper : public QuicApplicationHelper
{
  public:
    /**
     * \param remote the server's socket address (the "Remote" attribute)
     */
    explicit QuicBulkSendHelper(const Address& remote);
};

/**
 * \ingroup quic-migration
 * \brief Installs QuicSinkApplication (QUIC server reading every stream).
 */
class QuicSinkHelper : public QuicApplicationHelper
{
  public:
    /**
     * \param local the address to accept connections on (the "Local" attribute)
     */
    explicit QuicSinkHelper(const Address& local);
};

/**
 * \ingroup quic-migration
 * \brief Installs QuicEchoServerApplication.
 */
class QuicEchoServerHelper : public QuicApplicationHelper
{
  public:
    /**
     * \param local the address to accept connections on (the "Local" attribute)
     */
    explicit QuicEchoServerHelper(const Address& local);
};

/**
 * \ingroup quic-migration
 * \brief Installs QuicEchoClientApplication.
 */
class QuicEchoClientHelper : public QuicApplicationHelper
{
  public:
    /**
     * \param remote the echo server's socket address (the "Remote" attribute)
     */
    explicit QuicEchoClientHelper(const Address& remote);
};

/**
 * \ingroup quic-migration
 * \brief Installs and configures QuicEndpoints (one per node) and the connections
 * they create.
 *
 * Endpoint attributes (ns3::QuicEndpoint, e.g. ConnectionIdLength) are stored and set
 * on each endpoint by Install(), also on endpoints that exist already.
 *
 * Connection attributes (ns3::QuicConnection, e.g. MaxUdpPayloadSize,
 * CongestionControl) are different: connections are created inside the endpoint
 * (QuicEndpoint::Connect for clients, on the first Initial for servers) with
 * CreateObject, so the only way to reach them today is the attribute default.
 * Install() therefore applies them with Config::SetDefault: they hold for
 * every connection created afterwards in the simulation, on all nodes. A
 * per-endpoint connection ObjectFactory (an endpoint attribute) would make this
 * per-node.
 */
class QuicHelper
{
  public:
    QuicHelper();

    /**
     * \brief Create (if missing) the QuicEndpoint of every node, without setting attributes.
     * \param c the nodes (they need an Internet stack)
     */
    static void InstallEndpoints(NodeContainer c);

    /**
     * \brief Create (if missing) the QuicEndpoint of every node; set the stored endpoint
     * attributes on it and apply the stored connection attributes as defaults.
     * \param c the nodes (they need an Internet stack)
     */
    void Install(NodeContainer c) const;

    /**
     * \brief Store an attribute for the endpoints (ns3::QuicEndpoint).
     * \param name attribute name (checked now)
     * \param value attribute value
     */
    void SetEndpointAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Store an attribute for the connections (ns3::QuicConnection); applied with
     * Config::SetDefault by Install(), i.e. globally (see the class comment).
     * \param name attribute name (checked now)
     * \param value attribute value
     */
    void SetConnectionAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Write the NSS key log of the nodes' connections to a file (truncated now), for
     * Wireshark/tshark: `tshark -o tls.keylog_file:FILE -r capture.pcap`.
     * \param c the nodes
     * \param filename the key log file
     */
    static void EnableKeyLog(NodeContainer c, const std::string& filename);

    /**
     * \brief Fix the random variable streams of the nodes' endpoints and connections.
     * \param c the nodes
     * \param stream first stream number
     * \return number of stream numbers used
     */
    static int64_t AssignStreams(NodeContainer c, int64_t stream);

  private:
    /// Stored (name, value) pairs.
    typedef std::vector<std::pair<std::string, Ptr<AttributeValue>>> AttributeList;

    AttributeList m_endpointAttributes;   //!< for ns3::QuicEndpoint
    AttributeList m_connectionAttributes; //!< for ns3::QuicConnection
};

} // namespace ns3

#endif /* QUIC_HELPER_H */

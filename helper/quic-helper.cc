/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-helper.h"

#include "ns3/config.h"
#include "ns3/log.h"
#include "ns3/names.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-echo-application.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-sink-application.h"
#include "ns3/string.h"

#include <fstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicHelper");

namespace
{

/**
 * \brief Abort on an attribute name or value that the type does not accept (a programming
 * error in the simulation script).
 * \param tid the type
 * \param name attribute name
 * \param value attribute value
 */
void
CheckAttribute(TypeId tid, const std::string& name, const AttributeValue& value)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name, &info))
    {
        NS_FATAL_ERROR("no attribute " << name << " in " << tid.GetName());
    }
    if (!info.checker->Check(value))
    {
        NS_FATAL_ERROR("invalid value for " << tid.GetName() << "::" << name);
    }
}

} // namespace

// =============================================================================================
// Application helpers
// =============================================================================================

QuicApplicationHelper::QuicApplicationHelper(const std::string& typeId)
{
    m_factory.SetTypeId(typeId);
}

void
QuicApplicationHelper::SetAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

ApplicationContainer
QuicApplicationHelper::Install(Ptr<Node> node) const
{
    return ApplicationContainer(InstallPriv(node));
}

ApplicationContainer
QuicApplicationHelper::Install(const std::string& nodeName) const
{
    Ptr<Node> node = Names::Find<Node>(nodeName);
    NS_ABORT_MSG_IF(!node, "no node named " << nodeName);
    return ApplicationContainer(InstallPriv(node));
}

ApplicationContainer
QuicApplicationHelper::Install(NodeContainer c) const
{
    ApplicationContainer apps;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        apps.Add(InstallPriv(*i));
    }
    return apps;
}

Ptr<Application>
QuicApplicationHelper::InstallPriv(Ptr<Node> node) const
{
    Ptr<Application> app = m_factory.Create<Application>();
    node->AddApplication(app);
    return app;
}

int64_t
QuicApplicationHelper::AssignStreams(NodeContainer c, int64_t stream)
{
    return QuicHelper::AssignStreams(c, stream);
}

QuicBulkSendHelper::QuicBulkSendHelper(const Address& remote)
    : QuicApplicationHelper("ns3::QuicBulkSendApplication")
{
    SetAttribute("Remote", AddressValue(remote));
}

QuicSinkHelper::QuicSinkHelper(const Address& local)
    : QuicApplicationHelper("ns3::QuicSinkApplication")
{
    SetAttribute("Local", AddressValue(local));
}

QuicEchoServerHelper::QuicEchoServerHelper(const Address& local)
    : QuicApplicationHelper("ns3::QuicEchoServerApplication")
{
    SetAttribute("Local", AddressValue(local));
}

QuicEchoClientHelper::QuicEchoClientHelper(const Address& remote)
    : QuicApplicationHelper("ns3::QuicEchoClientApplication")
{
    SetAttribute("Remote", AddressValue(remote));
}

// =============================================================================================
// QuicHelper
// =============================================================================================

QuicHelper::QuicHelper()
{
}

void
QuicHelper::InstallEndpoints(NodeContainer c)
{
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        QuicEndpoint::Install(*i);
    }
}

void
QuicHelper::Install(NodeContainer c) const
{
    for (const auto& a : m_connectionAttributes)
    {
        // Connections are created inside the endpoint: only the default reaches them.
        Config::SetDefault("ns3::QuicConnection::" + a.first, *a.second);
    }
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        Ptr<QuicEndpoint> ep = QuicEndpoint::Install(*i);
        for (const auto& a : m_endpointAttributes)
        {
            ep->SetAttribute(a.first, *a.second);
        }
    }
}

void
QuicHelper::SetEndpointAttribute(const std::string& name, const AttributeValue& value)
{
    CheckAttribute(QuicEndpoint::GetTypeId(), name, value);
    m_endpointAttributes.emplace_back(name, value.Copy());
}

void
QuicHelper::SetConnectionAttribute(const std::string& name, const AttributeValue& value)
{
    CheckAttribute(QuicConnection::GetTypeId(), name, value);
    m_connectionAttributes.emplace_back(name, value.Copy());
}

void
QuicHelper::EnableKeyLog(NodeContainer c, const std::string& filename)
{
    // Start from an empty file; the endpoints append (several may share the file).
    std::ofstream truncate(filename, std::ios::out | std::ios::trunc);
    if (!truncate.is_open())
    {
        NS_LOG_WARN("cannot write the key log " << filename);
        return;
    }
    truncate.close();
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        QuicEndpoint::Install(*i)->SetAttribute("KeyLogFile", StringValue(filename));
    }
}

int64_t
QuicHelper::AssignStreams(NodeContainer c, int64_t stream)
{
    int64_t current = stream;
    for (auto i = c.Begin(); i != c.End(); ++i)
    {
        current += QuicEndpoint::Install(*i)->AssignStreams(current);
    }
    return current - stream;
}

} // namespace ns3

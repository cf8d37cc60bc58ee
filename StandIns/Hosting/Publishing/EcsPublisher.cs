using System.Text.Json;
using System.Text.Json.Nodes;
using McpPlatform.Hosting.ApplicationModel;

namespace McpPlatform.Hosting.Publishing;

/// <summary>
/// Writes an ECS/Fargate task definition and service definition per project. PostgreSQL and Redis
/// are managed services there (RDS, ElastiCache): their connection strings, like every setting
/// marked secret, come from Secrets Manager. Services find each other through ECS Service Connect
/// under the same names as in compose; <c>${VARIABLE}</c> placeholders are the deployment's to fill
/// (for example with envsubst).
/// </summary>
internal static class EcsPublisher
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string TaskDefinition(ProjectResource project)
    {
        var env = DeploymentConventions.Environment(project);
        var container = new JsonObject
        {
            ["name"] = project.Name,
            ["image"] = $"${{REGISTRY}}/mcpplatform/{project.Name}:${{TAG}}",
            ["essential"] = true,
            ["portMappings"] = new JsonArray([.. project.Endpoints.Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name,
                ["containerPort"] = DeploymentConventions.ContainerPort(project, e.Name),
                ["protocol"] = "tcp",
                ["appProtocol"] = e.Protocol == EndpointProtocol.Http2 ? "grpc" : "http",
            })]),
            ["environment"] = new JsonArray([.. env.Where(e => !e.Secret).Select(e => (JsonNode)new JsonObject { ["name"] = e.Name, ["value"] = e.Value })]),
            ["secrets"] = new JsonArray([.. env.Where(e => e.Secret).Select(e => (JsonNode)new JsonObject
            {
                ["name"] = e.Name,
                ["valueFrom"] = $"${{SECRETS_ARN_PREFIX}}mcpplatform/{DeploymentConventions.VariableName(e.Name).ToLowerInvariant().Replace('_', '-')}",
            })]),
            ["healthCheck"] = new JsonObject
            {
                ["command"] = new JsonArray("CMD", "bash", "-c", DeploymentConventions.HealthProbe(project)),
                ["interval"] = 15,
                ["timeout"] = 5,
                ["retries"] = 3,
                ["startPeriod"] = 30,
            },
            ["logConfiguration"] = new JsonObject
            {
                ["logDriver"] = "awslogs",
                ["options"] = new JsonObject
                {
                    ["awslogs-group"] = $"/mcpplatform/{project.Name}",
                    ["awslogs-region"] = "${AWS_REGION}",
                    ["awslogs-stream-prefix"] = project.Name,
                },
            },
            ["stopTimeout"] = 120, // Fargate's maximum: the worker drains in-flight calls on SIGTERM
        };
        var task = new JsonObject
        {
            ["family"] = $"mcpplatform-{project.Name}",
            ["networkMode"] = "awsvpc",
            ["requiresCompatibilities"] = new JsonArray("FARGATE"),
            ["cpu"] = "${" + DeploymentConventions.VariableName(project.Name) + "_CPU:-512}",
            ["memory"] = "${" + DeploymentConventions.VariableName(project.Name) + "_MEMORY:-1024}",
            ["runtimePlatform"] = new JsonObject { ["operatingSystemFamily"] = "LINUX", ["cpuArchitecture"] = "X86_64" },
            ["executionRoleArn"] = "${ECS_EXECUTION_ROLE_ARN}",
            ["taskRoleArn"] = "${ECS_TASK_ROLE_ARN}",
            ["containerDefinitions"] = new JsonArray(container),
        };
        return task.ToJsonString(Indented) + "\n";
    }

    public static string Service(ProjectResource project)
    {
        var service = new JsonObject
        {
            ["cluster"] = "${ECS_CLUSTER}",
            ["serviceName"] = project.Name,
            ["taskDefinition"] = $"mcpplatform-{project.Name}",
            // Stateless replicas: at least two of every public service for the 99.9% target (seed 003).
            ["desiredCount"] = project.IsExternal ? Math.Max(2, project.Replicas) : project.Replicas,
            ["launchType"] = "FARGATE",
            ["networkConfiguration"] = new JsonObject
            {
                ["awsvpcConfiguration"] = new JsonObject
                {
                    ["subnets"] = new JsonArray("${PRIVATE_SUBNET_IDS}"),
                    ["securityGroups"] = new JsonArray("${SECURITY_GROUP_ID}"),
                    ["assignPublicIp"] = "DISABLED",
                },
            },
            ["serviceConnectConfiguration"] = new JsonObject
            {
                ["enabled"] = true,
                ["namespace"] = "mcpplatform",
                ["services"] = new JsonArray([.. project.Endpoints.Select(e => (JsonNode)new JsonObject
                {
                    ["portName"] = e.Name,
                    ["discoveryName"] = $"{project.Name}-{e.Name}",
                    ["clientAliases"] = new JsonArray(new JsonObject
                    {
                        ["port"] = DeploymentConventions.ContainerPort(project, e.Name),
                        ["dnsName"] = project.Name,
                    }),
                })]),
            },
            ["deploymentConfiguration"] = new JsonObject
            {
                ["minimumHealthyPercent"] = 100,
                ["maximumPercent"] = 200,
                ["deploymentCircuitBreaker"] = new JsonObject { ["enable"] = true, ["rollback"] = true },
            },
            ["enableExecuteCommand"] = false,
        };
        if (project.IsExternal)
        {
            service["loadBalancers"] = new JsonArray(new JsonObject
            {
                ["targetGroupArn"] = "${" + DeploymentConventions.VariableName(project.Name) + "_TARGET_GROUP_ARN}",
                ["containerName"] = project.Name,
                ["containerPort"] = DeploymentConventions.ContainerPort(project, "http"),
            });
            service["healthCheckGracePeriodSeconds"] = 60;
        }
        return service.ToJsonString(Indented) + "\n";
    }
}

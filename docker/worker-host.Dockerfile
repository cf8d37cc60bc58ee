# Worker.Host with what its catalog runs: the .NET sample servers and Node.js for npm MCP servers,
# installed once into /opt/mcp-servers rather than fetched per spawn.
#   docker build -f docker/worker-host.Dockerfile --build-arg PROJECT=Worker.Host -t mcpplatform/worker-host .
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG PROJECT=Worker.Host
WORKDIR /src
COPY . .
RUN dotnet publish "${PROJECT}/${PROJECT}.csproj" -c Release -o /app --nologo \
 && for sample in samples/*/; do \
      name=$(basename "$sample"); \
      dotnet publish "$sample$name.csproj" -c Release -o "/app/samples/$name" --nologo; \
    done

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
ARG PROJECT=Worker.Host
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm util-linux \
 && rm -rf /var/lib/apt/lists/* \
 && npm install --prefix /opt/mcp-servers --no-audit --no-fund \
      @modelcontextprotocol/server-everything @modelcontextprotocol/server-memory \
 && mkdir -p /var/lib/mcpplatform/workspaces && chown "$APP_UID" /var/lib/mcpplatform/workspaces
ENV PROJECT=${PROJECT} \
    DOTNET_gcServer=0 \
    ASPNETCORE_ENVIRONMENT=Production
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec dotnet \"/app/${PROJECT}.dll\""]

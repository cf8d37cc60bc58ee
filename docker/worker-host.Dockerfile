# Worker.Host with what its catalog runs: the .NET sample servers, and the npm MCP servers installed at build time
# from Worker.Host/NpmServers/package.json + package-lock.json (`npm ci`: exactly the locked versions) into
# /opt/mcp-servers (Worker__NpmCache), run with node and never fetched per spawn.
#   docker build -f docker/worker-host.Dockerfile --build-arg PROJECT=Worker.Host -t mcpplatform/worker-host .
ARG DOTNET_VERSION=10.0
ARG NODE_VERSION=22

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG PROJECT=Worker.Host
WORKDIR /src
COPY . .
RUN dotnet publish "${PROJECT}/${PROJECT}.csproj" -c Release -o /app --nologo \
 && for sample in samples/*/; do \
      name=$(basename "$sample"); \
      dotnet publish "$sample$name.csproj" -c Release -o "/app/samples/$name" --nologo; \
    done

# The npm servers need Node.js 20 or later (their engines); the distribution's nodejs may be older, so node comes
# from the official image, and the install is the lock file's.
FROM node:${NODE_VERSION}-bookworm-slim AS npm
WORKDIR /opt/mcp-servers
COPY Worker.Host/NpmServers/package.json Worker.Host/NpmServers/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && touch node_modules/.mcpplatform-installed

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}
ARG PROJECT=Worker.Host
RUN apt-get update \
 && apt-get install -y --no-install-recommends util-linux \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/mcpplatform/workspaces && chown "$APP_UID" /var/lib/mcpplatform/workspaces
COPY --from=npm /usr/local/bin/node /usr/local/bin/node
COPY --from=npm /opt/mcp-servers /opt/mcp-servers
ENV PROJECT=${PROJECT} \
    DOTNET_gcServer=0 \
    ASPNETCORE_ENVIRONMENT=Production \
    Worker__NpmCache=/opt/mcp-servers
WORKDIR /app
COPY --from=build /app .
USER $APP_UID
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec dotnet \"/app/${PROJECT}.dll\""]

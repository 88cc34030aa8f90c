# syntax=docker/dockerfile:1
# The keyserver: build and unit-test in the SDK image, run in the ASP.NET runtime image.

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
WORKDIR /src

# The core's bulk-import test reads Debian's real keyring.
RUN apt-get update \
    && apt-get install -y --no-install-recommends debian-keyring \
    && rm -rf /var/lib/apt/lists/*

# Restore first, from the project files only, so the package layer is cached across code changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Keyserver.Core/Keyserver.Core.csproj src/Keyserver.Core/
COPY src/Keyserver.Storage.LiteDb/Keyserver.Storage.LiteDb.csproj src/Keyserver.Storage.LiteDb/
COPY src/Keyserver.Web/Keyserver.Web.csproj src/Keyserver.Web/
COPY tests/Keyserver.Core.Tests/Keyserver.Core.Tests.csproj tests/Keyserver.Core.Tests/
COPY tests/Keyserver.Storage.LiteDb.Tests/Keyserver.Storage.LiteDb.Tests.csproj tests/Keyserver.Storage.LiteDb.Tests/
COPY tests/Keyserver.Web.Tests/Keyserver.Web.Tests.csproj tests/Keyserver.Web.Tests/
RUN dotnet restore tests/Keyserver.Core.Tests \
    && dotnet restore tests/Keyserver.Storage.LiteDb.Tests \
    && dotnet restore tests/Keyserver.Web.Tests

COPY src/Keyserver.Core/ src/Keyserver.Core/
COPY src/Keyserver.Storage.LiteDb/ src/Keyserver.Storage.LiteDb/
COPY src/Keyserver.Web/ src/Keyserver.Web/
COPY tests/Keyserver.Core.Tests/ tests/Keyserver.Core.Tests/
COPY tests/Keyserver.Storage.LiteDb.Tests/ tests/Keyserver.Storage.LiteDb.Tests/
COPY tests/Keyserver.Web.Tests/ tests/Keyserver.Web.Tests/
COPY appsettings.json ./
COPY wwwroot/ wwwroot/

# A failing unit test fails the image build.
RUN dotnet test tests/Keyserver.Core.Tests --no-restore \
    && dotnet test tests/Keyserver.Storage.LiteDb.Tests --no-restore \
    && dotnet test tests/Keyserver.Web.Tests --no-restore

# ReadyToRun: precompiled code starts and bulk-imports faster (the import command is short-lived).
RUN dotnet publish src/Keyserver.Web -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /app \
    && cp appsettings.json /app/ \
    && cp -r wwwroot /app/wwwroot

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble AS runtime
WORKDIR /app

# The image's non-root user (APP_UID) must own the data directory the volume is mounted on.
RUN mkdir /data && chown "$APP_UID" /data
COPY --from=build /app ./

# Content root is the working directory, so appsettings.json and wwwroot/ next to the dll are found.
# Urls from the environment replace the code default (localhost only) with every interface.
ENV ASPNETCORE_HTTP_PORTS= \
    ASPNETCORE_URLS=http://+:11371 \
    Storage__DataDirectory=/data

USER $APP_UID
VOLUME ["/data"]
EXPOSE 11371

# The runtime image has no curl or wget: the server checks itself.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["dotnet", "Keyserver.Web.dll", "healthcheck", "http://127.0.0.1:11371/healthz"]

ENTRYPOINT ["dotnet", "Keyserver.Web.dll"]

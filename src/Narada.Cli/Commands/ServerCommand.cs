using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Narada.Cli.Hosting;
using Narada.Controller;
using Narada.Core.Definitions;
using Narada.Gearman.Tls;
using Narada.Gearman.Transport;
using Narada.JobServer;
using GearmanJobServer = Narada.JobServer.JobServer;

namespace Narada.Cli.Commands;

/// <summary><c>narada server</c>: the controller, with an embedded job server unless pointed at existing ones.</summary>
internal static class ServerCommand
{
    public sealed record Settings(string Config, string Data, string Http, int Port, IReadOnlyList<ServerAddress>? External,
        GearmanTlsOptions? Tls = null, string? HttpCertificate = null, string? HttpKey = null, string? HttpClientCa = null,
        string? Secrets = null, Narada.Controller.Store.StoreLocation? Store = null, string? Users = null,
        Narada.Controller.Metrics.RemoteWrite.RemoteWriteTarget? RemoteWrite = null);

    /// <summary>--users: who may use the API and dashboard, with which role.</summary>
    public static Option<string?> UsersOption() => new("--users")
    {
        Description = "Users and tokens with their roles (YAML, written by `narada users add`): with it nothing is served without a " +
            "bearer token, a dashboard login or a client certificate naming a user. Reloaded on SIGHUP.",
    };

    /// <summary>--secrets: the directory of files templates read with <c>secret "name"</c>.</summary>
    public static Option<string?> SecretsOption() => new("--secrets")
    {
        Description = "Directory of secret files that templates read with {{ secret \"name\" }} (file name = secret name); " +
            "NARADA_SECRET_<NAME> environment variables are read when no file matches.",
    };

    /// <summary>--http-cert / --http-key: serve /metrics and /api over HTTPS; --http-client-ca: who may change things remotely.</summary>
    public static (Option<string?> Cert, Option<string?> Key, Option<string?> ClientCa) HttpsOptions() =>
        (new Option<string?>("--http-cert") { Description = "Serve /metrics and /api over HTTPS with this certificate (PEM)." },
         new Option<string?>("--http-key") { Description = "The HTTPS certificate's private key (PEM)." },
         new Option<string?>("--http-client-ca")
         {
             Description = "With HTTPS: clients with a certificate from this CA (PEM) may make changes " +
             "(apply, silences) from other machines; without it changes are taken from loopback only."
         });

    /// <summary>--http: IP:port of /metrics and /api; anything else is a parse error (a host name would bind every interface).</summary>
    public static Option<string> HttpOption(string description)
    {
        var option = new Option<string>("--http") { Description = description, DefaultValueFactory = _ => "127.0.0.1:9640" };
        option.Validators.Add(result =>
        {
            try
            {
                HttpListenAddress.Parse(result.GetValueOrDefault<string>());
            }
            catch (FormatException e)
            {
                result.AddError("--http " + e.Message);
            }
        });
        return option;
    }

    /// <summary>--port/-p of the embedded job server, 1-65535.</summary>
    public static Option<int> PortOption(string description)
    {
        var option = new Option<int>("--port", "-p") { Description = description, DefaultValueFactory = _ => ServerAddress.DefaultPort };
        option.Validators.Add(result =>
        {
            int port = result.GetValueOrDefault<int>();
            if (port is < 1 or > 65535)
                result.AddError($"--port: {port} is not from 1 to 65535");
        });
        return option;
    }

    /// <summary>A usage error for <c>--port</c> given with <c>--server</c>: no job server is started here then.</summary>
    public static void RefusePortWithServers(Command command, Option<int> port, Option<string[]> servers) =>
        command.Validators.Add(result =>
        {
            if (result.GetResult(servers) is { Tokens.Count: > 0 } && result.GetResult(port) is { Implicit: false })
                result.AddError("--port sets the embedded job server's port; with --server no job server is started here, so leave it out");
        });

    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "Definitions directory (default: config/)." };
        var servers = ServerOption.Create("Use these job servers (repeatable) instead of the embedded one.");
        var port = PortOption("Port of the embedded job server.");
        var http = HttpOption("IP:port of /metrics and /api (loopback unless told otherwise).");
        var data = new Option<string?>("--data") { Description = "State directory (default: .narada/)." };
        var tlsOptions = new TlsClientOptions("the controller's certificate to present to --server job servers; CN=controller for the default ACL");
        var (httpCert, httpKey, httpClientCa) = HttpsOptions();
        var secrets = SecretsOption();
        var users = UsersOption();
        var remoteWrite = new Option<string?>("--remote-write")
        {
            Description = "Also push the fleet's series to this Prometheus remote-write receiver (Prometheus with " +
                "--web.enable-remote-write-receiver: http://prometheus:9090/api/v1/write, Mimir, Thanos, VictoriaMetrics).",
        };
        remoteWrite.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text
                && (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
                result.AddError($"--remote-write '{text}' is not an absolute http:// or https:// URL");
        });
        var remoteWriteInterval = new Option<string>("--remote-write-interval")
        {
            Description = "How often to push.",
            DefaultValueFactory = _ => "15s",
        };
        remoteWriteInterval.Validators.Add(result =>
        {
            if (!Duration.TryParse(result.GetValueOrDefault<string>(), out var every, out var why) || every < TimeSpan.FromSeconds(1))
                result.AddError($"--remote-write-interval: {why ?? "at least 1s"}");
        });
        var remoteWriteToken = new Option<string?>("--remote-write-token-file") { Description = "A file holding a bearer token for the receiver." };
        var store = new Option<string?>("--store")
        {
            Description = "Where state and history live: sqlite:PATH (default: controller.db in --data), or a PostgreSQL database " +
                "(postgresql://user@host:port/db or Host=...;Database=...) that makes this controller a member of the cluster sharing it. " +
                "The password comes from PGPASSWORD or a password file (PGPASSFILE, ~/.pgpass), never needed on the command line.",
        };
        store.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is not { } text)
                return;
            try
            {
                Narada.Controller.Store.StoreLocation.Parse(text);
            }
            catch (FormatException e)
            {
                result.AddError("--store: " + e.Message);
            }
        });
        var importSqlite = new Option<string?>("--import-sqlite")
        {
            Description = "With a PostgreSQL --store: move this single controller's SQLite file (history, events, states, rollouts, " +
                "silences) into it before starting, once (a second run with the same file changes nothing).",
        };
        var command = new Command("server", "Run the controller (schedules, dispatches, keeps state, serves /metrics).\n\n" +
            "Examples:\n  narada server\n  narada server --server gm1:4730 --server gm2:4730 --config /etc/narada/definitions\n" +
            "  narada server --server gm1:4730 --server gm2:4730 --store postgresql://narada@db1:5432/narada   (one member of a cluster)\n" +
            "  narada server --server jobs.example:4730 --tls-ca pki/ca.pem --tls-cert pki/controller.pem --tls-key pki/controller.key")
        {
            config, servers, port, http, data, httpCert, httpKey, httpClientCa, secrets, store, importSqlite, users,
            remoteWrite, remoteWriteInterval, remoteWriteToken,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(importSqlite) is not null
                && (result.GetValue(store) is not { } text || !text.Contains("://", StringComparison.Ordinal) && !text.Contains('=')))
                result.AddError("--import-sqlite moves a SQLite store into a PostgreSQL one: give --store postgresql://...");
        });
        tlsOptions.AddTo(command);
        RefusePortWithServers(command, port, servers);
        command.SetAction((parse, cancellationToken) => ConsoleHost.RunUntilStoppedAsync(async stop =>
        {
            var external = parse.GetValue(servers) is { Length: > 0 } s ? ServerOption.Parse(s) : null;
            var tls = tlsOptions.Resolve(parse);
            if (tls is not null)
            {
                try
                {
                    if (external is null)
                        throw new ArgumentException("--tls-* apply to job servers given with --server; the embedded job server is plain loopback");
                    tls.Validate();
                }
                catch (Exception e) when (e is ArgumentException or IOException)
                {
                    await Console.Error.WriteLineAsync($"narada server: {e.Message}");
                    return 2;
                }
            }
            var settings = new Settings(parse.GetValue(config) ?? DefaultPaths.Config, parse.GetValue(data) ?? DefaultPaths.Data,
                parse.GetValue(http)!, parse.GetValue(port), external, tls, parse.GetValue(httpCert), parse.GetValue(httpKey),
                parse.GetValue(httpClientCa), parse.GetValue(secrets),
                parse.GetValue(store) is { } location ? Narada.Controller.Store.StoreLocation.Parse(location) : null, parse.GetValue(users),
                parse.GetValue(remoteWrite) is { } pushTo
                    ? new Narada.Controller.Metrics.RemoteWrite.RemoteWriteTarget(new Uri(pushTo))
                    {
                        Interval = Duration.Parse(parse.GetValue(remoteWriteInterval)!),
                        BearerTokenFile = parse.GetValue(remoteWriteToken),
                    }
                    : null);
            if (parse.GetValue(importSqlite) is { } sqlite && !await ImportAsync(sqlite, settings.Store!))
                return 1;
            using var logging = ConsoleHost.Logging();
            await using var stack = await StartAsync(settings, logging, stop);
            if (stack is null)
                return 1;
            using var reload = stack.ReloadOnHangup(logging);
            await ConsoleHost.WaitAsync(stop);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static async Task<bool> ImportAsync(string sqlite, Narada.Controller.Store.StoreLocation store)
    {
        try
        {
            var counts = Narada.Controller.Store.SqliteImport.Run(sqlite, store.Target);
            await Console.Out.WriteLineAsync(counts.AlreadyImported
                ? $"narada server: {sqlite} was imported into {store.Describe()} before; nothing to do"
                : $"narada server: imported {sqlite} into {store.Describe()}: " +
                  string.Join(", ", counts.Rows.Select(kv => $"{kv.Value} {kv.Key.Replace('_', ' ')}")));
            return true;
        }
        catch (Exception e) when (e is IOException or System.Data.Common.DbException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"narada server: --import-sqlite: {e.Message}");
            return false;
        }
    }

    /// <summary>Starts the job server (unless external ones are given) and the controller; null after printing why not.</summary>
    public static async Task<RunningServer?> StartAsync(Settings settings, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        // A mistyped secrets directory would otherwise surface only at the first rollout, as "secret not found".
        if (settings.Secrets is { } secretsDirectory && !Directory.Exists(secretsDirectory))
        {
            await Console.Error.WriteLineAsync($"narada: --secrets {secretsDirectory}: no such directory");
            return null;
        }
        // The controller loads the definitions again when it starts; checking them first means a typo is reported
        // before anything listens or opens its queue file.
        if (DefinitionLoader.Load(settings.Config) is { Succeeded: false } invalid)
        {
            await Console.Error.WriteLineAsync($"narada: {new DefinitionLoadException(settings.Config, invalid.Errors).Message}");
            return null;
        }
        GearmanJobServer? jobServer = null;
        IReadOnlyList<ServerAddress> servers;
        if (settings.External is { } external)
        {
            servers = external;
        }
        else
        {
            Directory.CreateDirectory(settings.Data);
            jobServer = new GearmanJobServer(new JobServerOptions
            {
                ListenAddresses = [IPAddress.Loopback],
                Port = settings.Port,
                DatabasePath = Path.Combine(settings.Data, "jobserver.sqlite"),
            }, logging);
            try
            {
                await jobServer.StartAsync(cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                await jobServer.DisposeAsync();
                await Console.Error.WriteLineAsync($"narada: port {settings.Port} is in use (a gearmand or another narada?). " +
                    $"Stop it, pick another with --port, or use it with --server 127.0.0.1:{settings.Port}.");
                return null;
            }
            servers = [new ServerAddress("127.0.0.1", jobServer.Endpoint.Port)];
        }

        var controller = new NaradaController(new ControllerOptions
        {
            ConfigDirectory = settings.Config,
            DataDirectory = settings.Data,
            Servers = servers,
            Tls = settings.Tls,
            HttpsCertificateFile = settings.HttpCertificate,
            HttpsKeyFile = settings.HttpKey,
            HttpsClientCaFile = settings.HttpClientCa,
            UsersFile = settings.Users,
            RemoteWrite = settings.RemoteWrite,
            SecretsDirectory = settings.Secrets,
            HttpListen = settings.Http,
            LoggerFactory = logging,
            Store = settings.Store,
        });
        try
        {
            await controller.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is DefinitionLoadException or IOException or DirectoryNotFoundException or ArgumentException
            or System.Security.Cryptography.CryptographicException or System.Data.Common.DbException or InvalidOperationException
            or Narada.Core.Yaml.YamlFileException)
        {
            await controller.DisposeAsync();
            if (jobServer is not null)
                await jobServer.DisposeAsync();
            await Console.Error.WriteLineAsync(e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException
                ? $"narada: {settings.Http} is in use (another narada?); pick another with --http."
                : e is Narada.Core.Yaml.YamlFileException users
                    ? $"narada: --users {settings.Users} has problems:\n  {string.Join("\n  ", users.Errors)}"
                    : $"narada: {e.Message}");
            return null;
        }
        return new RunningServer(jobServer, controller, servers);
    }

    /// <summary>The parts <c>narada server</c> and <c>narada up</c> run, stopped in reverse order.</summary>
    public sealed class RunningServer(GearmanJobServer? jobServer, NaradaController controller, IReadOnlyList<ServerAddress> servers) : IAsyncDisposable
    {
        public GearmanJobServer? JobServer => jobServer;
        public NaradaController Controller => controller;
        public IReadOnlyList<ServerAddress> Servers => servers;

        /// <summary>SIGHUP (<c>systemctl reload</c>) reloads the definitions at once, as an edit under --config does
        /// after it settles; a broken set is refused and logged, and the running one stays.</summary>
        public IDisposable ReloadOnHangup(ILoggerFactory logging)
        {
            var logger = logging.CreateLogger("narada.controller");
            return ConsoleHost.OnHangup(() =>
            {
                logger.LogInformation("SIGHUP: reloading the definitions in {Directory}", controller.DefinitionStore.Directory);
                controller.DefinitionStore.Reload();
                if (controller.Users is { } users && controller.ReloadUsers())
                    logger.LogInformation("SIGHUP: reloaded {Path} ({Count} users)", users.Path, users.Current.Users.Count);
            });
        }

        public async ValueTask DisposeAsync()
        {
            await controller.DisposeAsync();
            if (jobServer is not null)
                await jobServer.DisposeAsync();
        }
    }
}

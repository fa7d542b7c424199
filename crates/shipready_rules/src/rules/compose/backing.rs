//! Backing services known by their image: databases, caches, brokers and search engines, with the folder each
//! database image keeps its data in. Matched on the image's repository name (registry, namespace, tag and
//! digest stripped), exactly, so `redis-commander` or `mongo-express` (admin UIs) are not mistaken for the
//! store they manage.

/// What a backing service is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Backing {
    /// Keeps data in the listed folders.
    Database(&'static [&'static str]),
    /// A search engine that keeps its indices in the listed folders.
    Search(&'static [&'static str]),
    Cache,
    Broker,
}

impl Backing {
    /// The folders a store keeps its data in; none for caches and brokers.
    pub fn data_dirs(self) -> Option<&'static [&'static str]> {
        match self {
            Backing::Database(dirs) | Backing::Search(dirs) => Some(dirs),
            Backing::Cache | Backing::Broker => None,
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Backing::Database(_) => "database",
            Backing::Search(_) => "search engine",
            Backing::Cache => "cache",
            Backing::Broker => "broker",
        }
    }
}

const POSTGRES: &[&str] = &["/var/lib/postgresql/data", "/var/lib/postgresql"];
const MYSQL: &[&str] = &["/var/lib/mysql"];

/// `(repository name, kind)`.
const KNOWN: &[(&str, Backing)] = &[
    ("postgres", Backing::Database(POSTGRES)),
    ("postgresql", Backing::Database(&["/bitnami/postgresql"])),
    ("postgis", Backing::Database(POSTGRES)),
    ("pgvector", Backing::Database(POSTGRES)),
    ("timescaledb", Backing::Database(POSTGRES)),
    ("mysql", Backing::Database(MYSQL)),
    ("mysql-server", Backing::Database(MYSQL)),
    (
        "mariadb",
        Backing::Database(&["/var/lib/mysql", "/bitnami/mariadb"]),
    ),
    ("percona", Backing::Database(MYSQL)),
    ("mongo", Backing::Database(&["/data/db"])),
    (
        "mongodb",
        Backing::Database(&["/bitnami/mongodb", "/data/db"]),
    ),
    ("mongodb-community-server", Backing::Database(&["/data/db"])),
    ("mssql-server", Backing::Database(&["/var/opt/mssql"])),
    ("azure-sql-edge", Backing::Database(&["/var/opt/mssql"])),
    ("cassandra", Backing::Database(&["/var/lib/cassandra"])),
    (
        "clickhouse-server",
        Backing::Database(&["/var/lib/clickhouse"]),
    ),
    ("couchdb", Backing::Database(&["/opt/couchdb/data"])),
    ("neo4j", Backing::Database(&["/data"])),
    (
        "influxdb",
        Backing::Database(&["/var/lib/influxdb", "/var/lib/influxdb2"]),
    ),
    (
        "cockroach",
        Backing::Database(&["/cockroach/cockroach-data"]),
    ),
    (
        "elasticsearch",
        Backing::Search(&["/usr/share/elasticsearch/data"]),
    ),
    (
        "opensearch",
        Backing::Search(&["/usr/share/opensearch/data"]),
    ),
    ("redis", Backing::Cache),
    ("redis-stack", Backing::Cache),
    ("redis-stack-server", Backing::Cache),
    ("redismod", Backing::Cache),
    ("valkey", Backing::Cache),
    ("keydb", Backing::Cache),
    ("dragonfly", Backing::Cache),
    ("memcached", Backing::Cache),
    ("rabbitmq", Backing::Broker),
    ("kafka", Backing::Broker),
    ("cp-kafka", Backing::Broker),
    ("redpanda", Backing::Broker),
    ("nats", Backing::Broker),
    ("activemq", Backing::Broker),
    ("activemq-artemis", Backing::Broker),
    ("pulsar", Backing::Broker),
];

/// Admin UIs of backing services: they connect when someone logs in, not at start, so they need not wait.
const ADMIN_UIS: &[&str] = &[
    "adminer",
    "pgadmin4",
    "phpmyadmin",
    "mongo-express",
    "redis-commander",
    "redisinsight",
    "kafka-ui",
    "kafdrop",
    "akhq",
    "cloudbeaver",
];

/// Whether an image is the admin UI of a backing service (`adminer`, `dpage/pgadmin4`, `mongo-express`).
pub(crate) fn is_admin_ui(image: &str) -> bool {
    let name = repository(image).to_ascii_lowercase();
    ADMIN_UIS.contains(&name.as_str())
}

/// The repository name of an image reference: `docker.io/library/postgres:16-alpine@sha256:...` is `postgres`.
pub(crate) fn repository(image: &str) -> &str {
    let image = image.trim();
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split(':').next().unwrap_or(last)
}

/// The kind of backing service an image runs, if it is a known one.
pub(crate) fn of_image(image: &str) -> Option<Backing> {
    let name = repository(image).to_ascii_lowercase();
    // Microsoft's image is `mcr.microsoft.com/mssql/server`: its repository name alone says nothing.
    let path = image
        .split([':', '@'])
        .next()
        .unwrap_or(image)
        .to_ascii_lowercase();
    let name = if path.ends_with("mssql/server") || path.ends_with("mssql/rhel/server") {
        "mssql-server".to_owned()
    } else {
        name
    };
    KNOWN.iter().find(|(n, _)| *n == name).map(|(_, b)| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_repository_name() {
        assert_eq!(
            of_image("postgres:16-alpine"),
            Some(Backing::Database(POSTGRES))
        );
        assert_eq!(
            of_image("docker.io/library/redis:7@sha256:abc"),
            Some(Backing::Cache)
        );
        assert_eq!(of_image("redislabs/redismod"), Some(Backing::Cache));
        assert_eq!(
            of_image("docker.redpanda.com/vectorized/redpanda:v22.2.2"),
            Some(Backing::Broker)
        );
        assert_eq!(
            of_image("localhost:5000/mariadb:11").map(Backing::noun),
            Some("database")
        );
        assert_eq!(
            of_image("mcr.microsoft.com/mssql/server:2022-latest").map(Backing::noun),
            Some("database")
        );
        assert_eq!(of_image("rediscommander/redis-commander"), None);
        assert_eq!(of_image("mongo-express"), None);
        assert_eq!(of_image("adminer"), None);
        assert_eq!(of_image("dpage/pgadmin4"), None);
        assert!(is_admin_ui("dpage/pgadmin4:8"));
        assert!(is_admin_ui("adminer"));
        assert!(!is_admin_ui("postgres"));
    }
}

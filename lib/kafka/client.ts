import {
  Kafka,
  logLevel,
  Partitioners,
  type LogEntry,
  type Producer,
  type Consumer,
  type Admin,
  type KafkaConfig,
  type SASLOptions,
} from "kafkajs";

import type { KafkaConnection, KafkaSasl } from "@/lib/kafka/connection";
import { installFastCrc32cInKafkajs } from "@/lib/kafka/crc32c";
import { installRopeEncoderInKafkajs } from "@/lib/kafka/encoder";
import { installFastRecordDecoderInKafkajs } from "@/lib/kafka/record-decoder";
import { classifyKafkajsLog } from "@/lib/kafka/kafkajs-log";
import { renewOnLostSequence } from "@/lib/kafka/idempotent-producer";
import { handOverMember, installMemberHandoverInKafkajs } from "@/lib/kafka/member-handover";
import { silenceKafkajsTimeoutWarning } from "@/lib/kafka/warnings";
import { describeError, type Logger } from "@/lib/log";

// kafkajs 2.2.4 is unmaintained: it stays behind this folder so another client can replace it in one place.

export type KafkaClient = { kafka: Kafka; brokers: string[]; clientId: string; logger: Logger };

export type CreateKafkaClientOptions = KafkaConnection & {
  clientId: string;
  logger: Logger;
  /** How long one connection attempt may take; short so that a missing broker is reported quickly. */
  connectionTimeoutMs?: number;
  /** kafkajs retries of one request before the caller sees the error. */
  retries?: number;
};

const LEVEL_NAMES: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** kafkajs's TLS and SASL settings for a connection (none: plaintext, anonymous). */
export function toKafkajsSecurity(connection: KafkaConnection): Pick<KafkaConfig, "ssl" | "sasl"> {
  const security: Pick<KafkaConfig, "ssl" | "sasl"> = {};
  if (connection.ssl) security.ssl = connection.ssl.ca ? { ca: [connection.ssl.ca] } : true;
  if (connection.sasl) security.sasl = toKafkajsSasl(connection.sasl);
  return security;
}

function toKafkajsSasl({ mechanism, username, password }: KafkaSasl): SASLOptions {
  // One case per mechanism: kafkajs's options are a union that a variable mechanism does not fit.
  switch (mechanism) {
    case "plain":
      return { mechanism, username, password };
    case "scram-sha-256":
      return { mechanism, username, password };
    case "scram-sha-512":
      return { mechanism, username, password };
  }
}

export function createKafkaClient(options: CreateKafkaClientOptions): KafkaClient {
  silenceKafkajsTimeoutWarning();
  installFastCrc32cInKafkajs();
  installRopeEncoderInKafkajs();
  const hasFastRecords = installFastRecordDecoderInKafkajs();
  installMemberHandoverInKafkajs();
  const log = options.logger.child({ component: "kafkajs" });
  if (!hasFastRecords)
    log.warn(
      "kafkajs decodes fetched records with its own decoder (it was loaded before createKafkaClient, or kafkajs is bundled): slower, same records",
    );
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...toKafkajsSecurity(options),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, retries: options.retries ?? 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, label, log: entry }: LogEntry) => {
        const { message, timestamp: _ts, logger: _l, ...rest } = entry;
        const line = classifyKafkajsLog(LEVEL_NAMES[level] ?? "info", message, rest);
        log[line.level]({ kafkaLevel: label, ...line.fields }, line.message);
      },
  });
  return { kafka, brokers: options.brokers, clientId: options.clientId, logger: log };
}

export type CreateProducerOptions = {
  /** Idempotent producer: retries never duplicate or reorder a partition's messages. */
  idempotent?: boolean;
};

export function createProducer(client: KafkaClient, options: CreateProducerOptions = {}): Producer {
  const make = () =>
    client.kafka.producer({
      idempotent: options.idempotent ?? false,
      // One request in flight per broker keeps per-partition order across retries.
      maxInFlightRequests: options.idempotent ? 1 : 5,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  if (!options.idempotent) return make();
  return renewOnLostSequence(make, (error) =>
    client.logger.warn(
      { err: describeError(error) },
      "the broker refused the idempotent producer's sequence numbers; sending on with a new producer id (the refused send may be stored twice)",
    ),
  );
}

export type CreateConsumerOptions = {
  groupId: string;
  sessionTimeoutMs?: number;
  /**
   * Least time between two heartbeats (kafkajs beats only when asked: lib/kafka/heartbeat.ts). A
   * rebalance is noticed at the next beat, so this bounds how long the other members wait for this one.
   * A sixth of the session timeout, at most 3 s, unless set.
   */
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  /**
   * Longest time the broker holds a fetch that finds nothing new (it answers as soon as there is an
   * event, so a shorter wait costs only more empty fetches while idle). kafkajs also sleeps this long
   * before it looks again whenever every assigned partition is paused: a consumer that pauses on each
   * join and resumes once ready fetches its first batch up to this long after resuming. 250 ms unless set.
   */
  fetchMaxWaitMs?: number;
  /**
   * The member id of this group's consumer in a process known to be dead (its supervisor saw it exit):
   * the first join takes that member's place at once instead of waiting for its session to expire
   * (lib/kafka/member-handover.ts).
   */
  handedOverMemberId?: string;
  /** Called before kafkajs restarts the consumer after an error thrown by a handler; return false to stop. */
  restartOnFailure?: (error: Error) => Promise<boolean>;
};

export function createConsumer(client: KafkaClient, options: CreateConsumerOptions): Consumer {
  if (options.handedOverMemberId) handOverMember(options.groupId, options.handedOverMemberId);
  return client.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    // By default six beats per session: a member is declared dead only after several missed beats.
    heartbeatInterval:
      options.heartbeatIntervalMs ?? Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 6)),
    rebalanceTimeout: 60_000,
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    maxWaitTimeInMs: options.fetchMaxWaitMs ?? 250,
    allowAutoTopicCreation: false,
    retry: {
      initialRetryTime: 300,
      retries: 10,
      maxRetryTime: 10_000,
      ...(options.restartOnFailure ? { restartOnFailure: options.restartOnFailure } : {}),
    },
  });
}

export function createAdmin(client: KafkaClient): Admin {
  return client.kafka.admin({ retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 } });
}

export type { Producer, Consumer, Admin };
export type { EachBatchPayload, KafkaMessage, IHeaders } from "kafkajs";

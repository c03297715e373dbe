"use client";

import { useEffect, useState } from "react";

import { getLiveSocket } from "@/components/realtime/socket";

export type ConnectionState = "connecting" | "live" | "reconnecting";

/** Tracks the live connection: connecting (first time), live, or reconnecting after a drop. */
export function useConnectionState(): ConnectionState {
  const [state, setState] = useState<ConnectionState>("connecting");
  useEffect(() => {
    const socket = getLiveSocket();
    const onConnect = () => setState("live");
    const onDisconnect = () => setState("reconnecting");
    if (socket.connected) setState("live");
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.io.on("reconnect_attempt", onDisconnect);
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.io.off("reconnect_attempt", onDisconnect);
    };
  }, []);
  return state;
}

/** The fencing lease as the watchdog sees it: only its holder acts (the edge by default, the mirror after a takeover). */
export interface LeasePort {
  holdsLease(): boolean;
}

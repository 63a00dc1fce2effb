/**
 * Loaded with `node --import` into the real `omnize-sync sandbox` process by bench:migration, so the
 * sandbox stays the CLI's own (built dist/, its own process) and is only observed, not changed.
 *
 * Node's built-in HTTP diagnostics channels mark when the server has parsed a request's headers and
 * when it has handed the whole response to the socket; between the two a request is in flight at
 * the server. Two counter updates per request cost far less than a proxy in front of the sandbox,
 * which would need its own CPU on a 2-core machine already shared by the product and the sandbox.
 *
 * On SIGUSR2 it prints one `SERVER_COUNTS received=N in_flight_max=M` line on stdout and starts
 * counting afresh, so each measured command gets its own figures.
 */
import { subscribe } from 'node:diagnostics_channel';

let received = 0;
let inFlight = 0;
let inFlightMax = 0;

subscribe('http.server.request.start', () => {
  received += 1;
  inFlight += 1;
  if (inFlight > inFlightMax) inFlightMax = inFlight;
});
subscribe('http.server.response.finish', () => {
  inFlight -= 1;
});

process.on('SIGUSR2', () => {
  process.stdout.write(`SERVER_COUNTS received=${received} in_flight_max=${inFlightMax}\n`);
  received = 0;
  // Whatever is still open (nothing, between commands) is where the next command's maximum starts.
  inFlightMax = inFlight;
});

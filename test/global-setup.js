// Every test runs in UTC, so a date that depends on the machine's zone shows up as a failure.
module.exports = async () => {
  process.env.TZ = 'UTC';
};

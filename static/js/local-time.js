// Due dates in the reader's own time zone. The server writes UTC (the no-script fallback);
// this rewrites <time data-local-time> and tells schedule forms which zone a time is in.

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const formats = {
  // A time: shown in the reader's zone, with the zone's short name.
  datetime: new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "numeric", minute: "2-digit", timeZoneName: "short",
  }),
  // A date without a time is a calendar date: the same day everywhere.
  date: new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC",
  }),
};

for (const element of document.querySelectorAll("time[data-local-time]")) {
  const format = formats[element.dataset.localTime];
  const moment = new Date(element.dateTime);
  if (format && !Number.isNaN(moment.getTime())) {
    element.title = element.textContent;
    element.textContent = format.format(moment);
  }
}

const pad = (number) => String(number).padStart(2, "0");

for (const fieldset of document.querySelectorAll("fieldset.due-fields")) {
  const form = fieldset.form ?? fieldset.closest("form");
  const timezone = form.querySelector("input[name=timezone]");
  if (!timezone || timezone.value) continue; // a re-shown form already speaks local time
  timezone.value = zone;
  const note = fieldset.querySelector("[data-timezone-note]");
  if (note) note.textContent = `Times are in your time zone (${zone}).`;
  const stored = new Date(fieldset.dataset.dueUtc || "invalid");
  if (Number.isNaN(stored.getTime())) continue;
  form.querySelector("input[name=due_date]").value =
    `${stored.getFullYear()}-${pad(stored.getMonth() + 1)}-${pad(stored.getDate())}`;
  form.querySelector("input[name=due_time]").value =
    `${pad(stored.getHours())}:${pad(stored.getMinutes())}`;
}

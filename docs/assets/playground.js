/*
 * The convolution playground on the page: the settings, the step view, the tables, the code and the stack of layers.
 *
 * Everything it shows is computed by docs/assets/playground-core.js (window.convCore), which mirrors conv_docs; this
 * file only draws. Every value from the address or a control reaches the page through textContent, a form value or
 * setAttribute only, never through an HTML sink.
 *
 * The step view keeps the reader's eye on the step: after every step the strip scrolls itself so that the window
 * and the output it makes are on screen, and the page scrolls (only as far as needed) when they are above or below
 * it. The current cells carry aria-current="step".
 *
 * Test hooks: window.convPlayground.summary(config) returns plain data (outputs, formulas, cells, links, code) or
 * {error, field} for a config of strings as the address holds them: {input: "2,3,4;1,0,-1", weight: "1,1|0,1", ...};
 * window.convPlayground.stack(config) does the same for {layers: "3,1,1,0;3,2,1,0", stack_length: "16"}.
 * Back and Forward (popstate) draw the configuration of the address again.
 */
(function () {
  "use strict";

  if (window.convPlayground) return; /* instant navigation runs this script again: the first copy starts pages */
  window.convPlayground = {};

  function whenCore(run) {
    if (window.convCore) run();
    else document.addEventListener("conv-core-ready", run, { once: true });
  }

  whenCore(function () {
    var core = window.convCore;
    var fmt = core.fmt, range = core.range, isOn = core.isOn, SEED = core.SEED, KEYS = core.KEYS;
    var LIMITS = core.LIMITS, MODES = core.MODES;
    var outputName = core.outputName, inputName = core.inputName, weightName = core.weightName;
    var SVG = "http://www.w3.org/2000/svg";

    /* --- small helpers ------------------------------------------------------------------------------------------ */

    function el(tag, attributes, text) {
      var node = document.createElement(tag);
      Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function svg(tag, attributes) {
      var node = document.createElementNS(SVG, tag);
      Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
      return node;
    }

    /* Python's repr of a float, for the PyTorch code: 2.0, -0.5, 1e-07 */
    function pyFloat(value) {
      var text = String(value);
      return /[.e]/.test(text) || !isFinite(value) ? text : text + ".0";
    }

    /* the address: every known setting (the rest from the defaults), and what it holds that this page does not know */
    function readAddress() {
      var params = new URLSearchParams(window.location.search);
      var raw = {}, unknown = [];
      KEYS.forEach(function (key) {
        var value = params.get(key);
        raw[key] = value === null ? SEED[key] : value; /* a partial link: the rest from the defaults */
      });
      if (params.get("stack_input") && params.get("stack_length") === null) raw.stack_length = ""; /* its count */
      params.forEach(function (value, key) {
        if (KEYS.indexOf(key) < 0) unknown.push(key + "=" + value);
      });
      return { raw: raw, unknown: unknown };
    }

    function addressOf(raw) {
      var query = KEYS.filter(function (key) {
        if (key === "causal" || key === "transposed") return isOn(raw[key]);
        if (key === "output_padding") return isOn(raw.transposed);
        if (key === "padding" || key === "padding_mode") return !isOn(raw.causal);
        if (key === "stack_input") return String(raw.stack_input || "").trim() !== "";
        return true;
      }).map(function (key) {
        var value = raw[key] === undefined ? SEED[key] : raw[key];
        return key + "=" + encodeURIComponent(value).replace(/%2C/gi, ",").replace(/%3B/gi, ";").replace(/%7C/gi, "|");
      }).join("&");
      return window.location.pathname + "?" + query;
    }

    /* the setting a misspelt name is closest to (two edits at most), or "" */
    function closest(name) {
      var best = "", least = 3;
      KEYS.forEach(function (key) {
        var row = range(key.length + 1);
        for (var i = 1; i <= name.length; i++) {
          var next = [i];
          for (var j = 1; j <= key.length; j++) {
            next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (name[i - 1] === key[j - 1] ? 0 : 1));
          }
          row = next;
        }
        if (row[key.length] < least) { least = row[key.length]; best = key; }
      });
      return best;
    }

    /* what a summary shows of a list of values: all of a short one, the first few of a long one and how many */
    function shortValues(text, input) {
      text = String(text);
      if (text.length <= 24) return text;
      var rows = text.split(";"), first = rows[0].split(",");
      var head = first.slice(0, 4).join(",");
      if (head.length > 20) head = head.slice(0, 16);
      var count = input ? (rows.length > 1 ? rows.length + " channels of " : "") + first.length + " values"
        : text.split(/[,;|]/).length + " numbers";
      return head + ",\u2026 (" + count + ")";
    }

    var FIELDS = [
      { key: "input", label: "Input values", hint: "commas between values, ; between channels", type: "text", wide: true },
      { key: "weight", label: "Weights", hint: "the kernels: ; between output channels, | between the input channels of a group", type: "text", wide: true },
      { key: "bias", label: "Bias", hint: "one number per output channel; empty for none", type: "text" },
      { key: "in_channels", label: "in_channels", hint: "rows of the input", type: "int", min: 1 },
      { key: "out_channels", label: "out_channels", hint: "rows of the output", type: "int", min: 1 },
      { key: "groups", label: "Groups", hint: "must divide both channel counts", type: "int", min: 1 },
      { key: "stride", label: "Stride", hint: "step between windows", type: "int", min: 1 },
      { key: "padding", label: "Padding", hint: "a whole number, same or valid", type: "text", list: ["0", "1", "2", "same", "valid"] },
      { key: "padding_mode", label: "Padding mode", hint: "what the padding cells hold", type: "select", options: MODES },
      { key: "dilation", label: "Dilation", hint: "spacing between taps", type: "int", min: 1 },
      { key: "causal", label: "Causal", hint: "zeros on the left only; padding not used", type: "checkbox" },
      { key: "transposed", label: "Transposed", hint: "ConvTranspose1d instead of Conv1d", type: "checkbox" },
      { key: "output_padding", label: "Output padding", hint: "cells added at the right end", type: "int", min: 0 },
    ];
    var LABELS = {};
    FIELDS.forEach(function (field) { LABELS[field.key] = field.label; });

    /* a whole-number box: text, so that it shows what the address holds ("x" too); arrow keys step it */
    function wholeNumber(id, name, minimum) {
      var control = el("input", {
        id: id, name: name, type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false",
      });
      control.addEventListener("keydown", function (event) {
        var by = { ArrowUp: 1, ArrowDown: -1 }[event.key];
        if (!by || !core.INTEGER.test(control.value.trim())) return;
        event.preventDefault();
        control.value = String(Math.max(minimum, Number(control.value) + by));
        control.dispatchEvent(new Event("input", { bubbles: true }));
      });
      return control;
    }

    /* one setting: its label, its control, its hint, and a place for its error message */
    function buildField(form, field, raw, fields) {
      var id = "cp-" + field.key;
      var wrap = el("div", { class: "cp-field cp-field-" + field.type + (field.wide ? " cp-wide" : "") });
      var control;
      if (field.type === "select") {
        control = el("select", { id: id, name: field.key });
        var options = field.options.slice();
        /* an unknown mode from the address stays, as plain text, so that its message shows until the reader picks one */
        if (options.indexOf(raw[field.key]) < 0) options.push(raw[field.key]);
        options.forEach(function (option) { control.appendChild(el("option", { value: option }, option)); });
        control.value = raw[field.key];
      } else if (field.type === "checkbox") {
        control = el("input", { id: id, name: field.key, type: "checkbox" });
      } else if (field.type === "int") {
        control = wholeNumber(id, field.key, field.min);
      } else {
        control = el("input", { id: id, name: field.key, type: "text", autocomplete: "off", spellcheck: "false" });
        if (field.list) {
          var list = el("datalist", { id: id + "-list" });
          field.list.forEach(function (option) { list.appendChild(el("option", { value: option })); });
          wrap.appendChild(list);
          control.setAttribute("list", id + "-list");
        }
      }
      control.setAttribute("aria-describedby", id + "-hint");
      if (field.type === "checkbox") {
        var check = el("label", { for: id, class: "cp-check" });
        check.appendChild(control);
        check.appendChild(el("span", {}, field.label));
        wrap.appendChild(check);
      } else {
        wrap.appendChild(el("label", { for: id }, field.label));
        wrap.appendChild(control);
      }
      wrap.appendChild(el("span", { id: id + "-hint", class: "cp-hint" }, field.hint));
      var message = el("p", { id: id + "-error", class: "cp-field-error", "data-testid": "field-error-" + field.key });
      message.hidden = true;
      wrap.appendChild(message);
      fields[field.key] = { control: control, message: message, label: field.label, hint: id + "-hint" };
      form.appendChild(wrap);
    }

    function setValue(control, value) {
      if (control.type === "checkbox") control.checked = isOn(value);
      else control.value = value === undefined ? "" : value;
    }

    function cellCaption(trace, c, cell) {
      var name = trace.config.inChannels === 1 ? "x[" : "x" + c + "[";
      if (cell.kind === "input") return name + cell.source + "]";
      if (cell.source === null) return "pad";
      return "=" + name + cell.source + "]";
    }

    function outputCaption(trace, step) {
      return trace.single ? "y[" + step.position + "]" : "y" + step.channel + "[" + step.position + "]";
    }

    function cellTitle(trace, c, cell, unread) {
      if (cell.kind === "input") {
        var never = !unread ? "" : trace.op === "conv1d" ? " (no window reads it)"
          : " (every copy of the kernel it spreads is cropped)";
        return "input " + inputName(trace, c, cell.source) + " = " + fmt(cell.value) + never;
      }
      if (cell.source === null) return trace.config.causal ? "causal padding zero" : "padding zero";
      return cell.kind + " padding: a copy of " + inputName(trace, c, cell.source) + " = " + fmt(cell.value);
    }

    /* a cell the reader can hover, focus or tap; a row of them is one tab stop, arrow keys move along it */
    function cellButton(attributes, value, caption) {
      /* the caption comes from a data attribute through CSS, so that the cell's text is its value alone */
      var node = el("button", Object.assign({ type: "button", class: "cp-cell", tabindex: "-1", "data-caption": caption },
        attributes));
      node.appendChild(value);
      return node;
    }

    /* a cell placed at column ``column`` of its row (columns may be halves) */
    function place(node, column) {
      node.style.setProperty("--c", String(column));
      return node;
    }

    function rovingRow(row) {
      var cells = Array.prototype.filter.call(row.children, function (node) { return node.tagName === "BUTTON"; });
      if (cells.length) cells[0].setAttribute("tabindex", "0");
      row.addEventListener("keydown", function (event) {
        var index = cells.indexOf(document.activeElement);
        if (index < 0) return;
        var to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: cells.length - 1 }[event.key];
        if (to === undefined) return;
        event.preventDefault();
        to = Math.max(0, Math.min(cells.length - 1, to));
        cells[index].setAttribute("tabindex", "-1");
        cells[to].setAttribute("tabindex", "0");
        cells[to].focus();
      });
    }

    function mark(nodes, on) {
      nodes.forEach(function (node) {
        if (!node) return;
        if (on) node.setAttribute("data-linked", "true");
        else node.removeAttribute("data-linked");
      });
    }

    /* the width of one column, in em of the strip, from the longest value and caption it must hold */
    function pitch(values, captions) {
      var longest = function (list) { return list.reduce(function (n, text) { return Math.max(n, text.length); }, 0); };
      return Math.max(2.7, 0.62 * longest(values) + 0.75, 0.53 * longest(captions) + 0.75).toFixed(2) + "em";
    }

    function copyText(text, done) {
      function fallback() {
        var area = el("textarea", { class: "cp-offscreen", "aria-hidden": "true", tabindex: "-1" });
        area.value = text;
        document.body.appendChild(area);
        area.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (error) { ok = false; }
        area.remove();
        done(ok);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
      } else {
        fallback();
      }
    }

    function nested(values) {
      return Array.isArray(values) ? "[" + values.map(nested).join(", ") + "]" : pyFloat(values);
    }

    function pytorchCode(trace) {
      var c = trace.config;
      var padding = typeof c.padding === "string" ? '"' + c.padding + '"' : String(c.padding);
      var hasBias = c.bias !== null ? "True" : "False";
      var k = c.weight[0][0].length;
      var lines = ["import torch"];
      if (c.causal) lines.push("import torch.nn.functional as F");
      lines.push("");
      var head = "    " + c.inChannels + ", " + c.outChannels + ", kernel_size=" + k + ", stride=" + c.stride;
      if (c.transposed) {
        lines.push("conv = torch.nn.ConvTranspose1d(");
        lines.push(head + ", padding=" + padding + ",");
        lines.push("    output_padding=" + c.output_padding + ", groups=" + c.groups + ", bias=" + hasBias +
          ", dilation=" + c.dilation + ",");
      } else if (c.causal) {
        lines.push("conv = torch.nn.Conv1d(  # no padding here: F.pad below puts the zeros on the left");
        lines.push(head + ", dilation=" + c.dilation + ", groups=" + c.groups + ", bias=" + hasBias + ",");
      } else {
        lines.push("conv = torch.nn.Conv1d(");
        lines.push(head + ", padding=" + padding + ",");
        lines.push("    dilation=" + c.dilation + ", groups=" + c.groups + ", bias=" + hasBias + ', padding_mode="' +
          c.padding_mode + '",');
      }
      lines.push(")");
      lines.push("with torch.no_grad():");
      lines.push("    conv.weight.copy_(torch.tensor(" + nested(c.weight) + "))");
      if (c.bias !== null) lines.push("    conv.bias.copy_(torch.tensor(" + nested(c.bias) + "))");
      lines.push("x = torch.tensor([" + nested(c.input) + "])  # (batch, channels, length)");
      if (c.causal) {
        lines.push("x = F.pad(x, (" + trace.padding[0] + ", 0))  # causal: dilation*(kernel_size-1) zeros on the left only");
      }
      lines.push("y = conv(x)");
      lines.push("print(y)  # shape (1, " + c.outChannels + ", " + trace.outLength + "): " + trace.output.map(function (row) {
        return row.map(fmt).join(", ");
      }).join("; "));
      return lines.join("\n");
    }

    function randomRaw() {
      var pick = function (list) { return list[Math.floor(Math.random() * list.length)]; };
      var int = function (a, b) { return a + Math.floor(Math.random() * (b - a + 1)); };
      for (var attempt = 0; attempt < 200; attempt++) {
        var groups = pick([1, 1, 1, 2]);
        var cin = groups * int(1, 2), cout = groups * int(1, 2), k = int(1, 3), L = int(3, 8);
        var transposed = Math.random() < 0.2, causal = !transposed && Math.random() < 0.25;
        var values = function (n, a, b) { return range(n).map(function () { return int(a, b); }).join(","); };
        var first = transposed ? cin : cout, second = transposed ? cout / groups : cin / groups;
        var raw = Object.assign({}, SEED, {
          input: range(cin).map(function () { return values(L, -3, 6); }).join(";"),
          weight: range(first).map(function () {
            return range(second).map(function () { return values(k, -2, 2); }).join("|");
          }).join(";"),
          bias: Math.random() < 0.3 ? "" : values(cout, -1, 1),
          groups: String(groups), stride: String(int(1, 2)), dilation: String(pick([1, 1, 2])),
          padding: String(pick([0, 1, 2, "same", "valid"])), padding_mode: transposed ? "zeros" : pick(MODES),
          causal: causal ? "1" : "", transposed: transposed ? "1" : "", output_padding: "0",
        });
        if (transposed && raw.padding.length > 1) raw.padding = "1";
        if (!core.compute(raw).error) return raw;
      }
      return Object.assign({}, SEED);
    }

    /* --- the playground ------------------------------------------------------------------------------------------ */

    function Playground(root) {
      this.root = root;
      this.path = window.location.pathname;
      this.fields = {};
      this.controls = {};
      this.step = 0;
      this.timer = null;
      this.trace = null;
      this.pinned = null;
      this.currentNodes = [];
      this.switchedMode = null;
      root.textContent = "";
      root.classList.add("cp-ready");
      var address = readAddress(), raw = address.raw, self = this;

      /* the settings fold away on a phone so that the steps show on the first screen */
      var details = this.details = el("details", { class: "cp-settings" });
      this.summaryText = el("span", { class: "cp-summary-text", "data-testid": "summary" });
      var summary = el("summary", {});
      summary.appendChild(el("span", { class: "cp-summary-title" }, "Settings"));
      summary.appendChild(this.summaryText);
      details.appendChild(summary);
      var form = el("form", { class: "cp-form", "aria-label": "Convolution settings" });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      FIELDS.forEach(function (field) { buildField(form, field, raw, self.fields); });
      Object.keys(this.fields).forEach(function (key) { self.controls[key] = self.fields[key].control; });
      details.appendChild(form);
      root.appendChild(details);

      /* what the page changed or could not use, said where the reader sees it */
      this.notes = el("p", { class: "cp-notes", role: "status", "data-testid": "notes" });
      this.notes.hidden = true;
      root.appendChild(this.notes);
      this.error = el("div", { "data-testid": "error", class: "cp-error", role: "alert" });
      this.error.hidden = true;
      root.appendChild(this.error);
      this.results = el("div", { class: "cp-results" });
      root.appendChild(this.results);

      var tools = el("div", { class: "cp-tools", role: "group", "aria-label": "Share and reset" });
      [["Copy link", "link"], ["Copy code", "code"], ["Reset", "reset"], ["Random", "random"]].forEach(function (pair) {
        var button = el("button", { type: "button", class: "md-button", "data-action": pair[1] }, pair[0]);
        button.addEventListener("click", function () { self.act(pair[1]); });
        tools.appendChild(button);
      });
      this.toolStatus = el("span", { class: "cp-tool-status", role: "status" });
      tools.appendChild(this.toolStatus);
      root.appendChild(tools);

      /* the stack of layers */
      var stackBox = el("section", { class: "cp-stack", "aria-labelledby": "cp-stack-title" });
      stackBox.appendChild(el("h2", { id: "cp-stack-title" }, "A stack of layers"));
      stackBox.appendChild(el("p", {},
        "Up to four Conv1d layers, each with its own kernel, stride, dilation and padding, the input at the bottom. " +
        "Hover, focus or tap a cell of any layer to see every cell below that it depends on: its receptive field."));
      this.stackForm = el("form", { class: "cp-form cp-stack-form", "aria-label": "Stack settings" });
      this.stackForm.addEventListener("submit", function (event) { event.preventDefault(); });
      stackBox.appendChild(this.stackForm);
      this.stackError = el("p", { "data-testid": "stack-error", class: "cp-error", role: "alert" });
      this.stackError.hidden = true;
      stackBox.appendChild(this.stackError);
      this.stackResults = el("div", { class: "cp-stack-results" });
      stackBox.appendChild(this.stackResults);
      root.appendChild(stackBox);

      Object.keys(this.controls).forEach(function (key) {
        var control = self.controls[key];
        var handler = (key === "in_channels" || key === "out_channels") ? function () { self.rechannel(key); }
          : key === "groups" ? function () { self.regroup(); }
            : function () { self.sync(); self.update(true); };
        control.addEventListener(control.type === "checkbox" || control.tagName === "SELECT" ? "change" : "input",
          function () { delete self.pending[key]; });
        control.addEventListener(control.type === "checkbox" || control.tagName === "SELECT" ? "change" : "input", handler);
      });
      this.load(raw, address.unknown, true);
    }

    /* draw the configuration ``raw`` (from the address): on arrival, and on Back and Forward */
    Playground.prototype.load = function (raw, unknown, first) {
      var self = this;
      Object.keys(this.controls).forEach(function (key) {
        if (raw[key] !== undefined) setValue(self.controls[key], raw[key]);
      });
      var mode = this.controls.padding_mode;
      if (MODES.indexOf(mode.value) < 0 && mode.value !== raw.padding_mode) { /* an unknown mode from the address */
        mode.appendChild(el("option", { value: raw.padding_mode }, raw.padding_mode));
        mode.value = raw.padding_mode;
      }
      this.stackRaw = { layers: raw.layers, stack_length: raw.stack_length, stack_input: raw.stack_input };
      this.addressNotes = unknown.length ? ["The address holds " + (unknown.length > 1 ? "settings" : "a setting") +
        " this page does not know, not used: " + unknown.map(function (pair) {
          var near = closest(pair.split("=")[0]);
          return pair + (near ? " (did you mean " + near + "?)" : "");
        }).join(", ") + ". It knows " + KEYS.join(", ") + "."] : [];
      /* a switch the address spells wrongly (transposed=maybe) is named until the reader sets it */
      this.pending = {};
      core.FLAGS.forEach(function (key) {
        try {
          core.flag(key, raw[key]);
        } catch (error) {
          if (!(error instanceof core.Invalid)) throw error;
          self.pending[key] = error.message;
        }
      });
      this.switchedMode = null;
      this.step = 0;
      /* as on arrival: the settings open on a wide screen, folded on a phone (an error then shows right under them) */
      this.details.open = !!(window.matchMedia && window.matchMedia("(min-width: 60em)").matches);
      this.sync();
      this.update(false);
      if (!first) {
        this.buildStackForm();
        this.updateStack(false);
        return;
      }
      /* the stack sits below the first screen: built in a task of its own, so that no task blocks the page long */
      window.setTimeout(function () {
        if (!self.root.isConnected) return;
        self.buildStackForm();
        self.updateStack(false);
      }, 0);
    };

    Playground.prototype.raw = function () {
      var raw = {}, self = this;
      KEYS.forEach(function (key) {
        var control = self.controls[key];
        if (control) raw[key] = control.type === "checkbox" ? (control.checked ? "1" : "") : control.value;
      });
      return Object.assign(raw, this.stackRaw);
    };

    /* settings that others rule out: disabled, and a padding mode ConvTranspose1d cannot take switched, with a note */
    Playground.prototype.sync = function () {
      var c = this.controls;
      var transposed = c.transposed.checked, causal = c.causal.checked;
      c.output_padding.disabled = !transposed;
      c.padding_mode.disabled = transposed || causal;
      c.padding.disabled = causal;
      if (transposed && c.padding_mode.value !== "zeros") {
        this.switchedMode = c.padding_mode.value;
        c.padding_mode.value = "zeros";
        this.modeNote = "Padding mode is now zeros, not " + this.switchedMode +
          ": ConvTranspose1d pads with zeros only.";
      } else if (!transposed && this.switchedMode) {
        if (MODES.indexOf(this.switchedMode) >= 0) c.padding_mode.value = this.switchedMode;
        this.modeNote = "Padding mode is " + this.switchedMode + " again, as before Transposed was ticked.";
        this.switchedMode = null;
      } else if (!transposed) {
        this.modeNote = "";
      }
    };

    Playground.prototype.showNotes = function () {
      var notes = (this.modeNote ? [this.modeNote] : []).concat(this.addressNotes || []);
      this.notes.textContent = notes.join(" ");
      this.notes.hidden = !notes.length;
    };

    /* in_channels or out_channels: the input, weight and bias reshaped to the new counts */
    Playground.prototype.rechannel = function (key) {
      var c = this.controls;
      var counts = ["in_channels", "out_channels"].map(function (name) {
        var text = c[name].value.trim();
        return core.INTEGER.test(text) && Number(text) >= 1 && Number(text) <= LIMITS.channels ? Number(text) : null;
      });
      if (counts[0] === null || counts[1] === null) {
        var name = counts[0] === null ? "in_channels" : "out_channels";
        this.fail(name + " must be a whole number from 1 to " + LIMITS.channels + ", got " + core.quote(c[name].value),
          name);
        return;
      }
      var groups = core.INTEGER.test(c.groups.value.trim()) ? Number(c.groups.value) : 1;
      var note = "";
      if (groups < 1 || counts[0] % groups || counts[1] % groups) {
        note = "Groups is 1 now: " + c.groups.value + " does not divide in_channels=" + counts[0] + " and out_channels=" +
          counts[1] + ".";
        groups = 1;
      }
      var shaped;
      try {
        shaped = core.reshape(this.raw(), counts[0], counts[1], groups);
      } catch (error) {
        if (!(error instanceof core.Invalid)) throw error;
        this.fail(key + " reshapes " + LABELS[error.field] + ", which must be fixed first: " + error.message, error.field);
        return;
      }
      Object.keys(shaped).forEach(function (name) { c[name].value = shaped[name]; });
      this.update(true);
      if (note) {
        this.modeNote = note;
        this.showNotes();
      }
    };

    /* groups: the weight reshaped to in_channels/groups kernels (ConvTranspose1d: out_channels/groups) */
    Playground.prototype.regroup = function () {
      var c = this.controls;
      var text = c.groups.value.trim(), cin = Number(c.in_channels.value), cout = Number(c.out_channels.value);
      var groups = Number(text);
      if (core.INTEGER.test(text) && groups >= 1 && !(cin % groups) && !(cout % groups)) {
        try {
          var shaped = core.reshape(this.raw(), cin, cout, groups);
          c.weight.value = shaped.weight;
        } catch (error) {
          if (!(error instanceof core.Invalid)) throw error; /* the update below names the field at fault */
        }
      }
      this.update(true);
    };

    Playground.prototype.act = function (action) {
      var self = this;
      if (action === "link" || action === "code") {
        var text = action === "link" ? window.location.href : (this.trace ? pytorchCode(this.trace) : "");
        if (!text) { this.toolStatus.textContent = "No code to copy: fix the settings first"; return; }
        copyText(text, function (ok) {
          self.toolStatus.textContent = ok ? (action === "link" ? "Link copied" : "Code copied")
            : "Copying is blocked here: select the " + (action === "link" ? "address bar" : "code below") + " and copy it";
        });
        return;
      }
      var raw = action === "reset" ? Object.assign({}, SEED) : randomRaw();
      Object.keys(this.controls).forEach(function (key) {
        if (raw[key] !== undefined) setValue(self.controls[key], raw[key]);
      });
      if (action === "reset") {
        this.stackRaw = { layers: SEED.layers, stack_length: SEED.stack_length, stack_input: SEED.stack_input };
        this.buildStackForm();
        this.updateStack(false);
      }
      this.step = 0;
      this.pending = {};
      this.switchedMode = null;
      this.modeNote = "";
      this.addressNotes = [];
      this.sync();
      this.update(true);
      this.toolStatus.textContent = action === "reset" ? "Back to the defaults" : "A random configuration";
    };

    Playground.prototype.stop = function () {
      if (this.timer !== null) window.clearInterval(this.timer);
      this.timer = null;
      if (this.playButton) {
        this.playButton.textContent = "Play";
        this.playButton.setAttribute("aria-pressed", "false");
      }
    };

    /* --- errors: the field at fault marked, its message beside it, and named in the alert ----------------------- */

    Playground.prototype.clearFieldErrors = function () {
      var self = this;
      Object.keys(this.fields).forEach(function (key) {
        var field = self.fields[key];
        field.control.removeAttribute("aria-invalid");
        field.control.setAttribute("aria-describedby", field.hint);
        field.message.textContent = "";
        field.message.hidden = true;
      });
    };

    Playground.prototype.fail = function (message, key) {
      var self = this, field = this.fields[key];
      this.stop();
      this.trace = null;
      this.clearFieldErrors();
      this.error.textContent = "";
      var label = field ? field.label : key;
      this.error.appendChild(el("span", {}, message));
      if (field) {
        field.control.setAttribute("aria-invalid", "true");
        field.control.setAttribute("aria-describedby", field.hint + " cp-" + key + "-error");
        field.message.textContent = message;
        field.message.hidden = false;
        var go = el("button", { type: "button", class: "md-button cp-goto" }, "Go to " + label);
        go.addEventListener("click", function () {
          self.details.open = true;
          field.control.focus();
          field.control.scrollIntoView({ block: "center" });
        });
        this.error.appendChild(go);
      }
      this.error.hidden = false;
      this.showNotes();
      this.results.textContent = "";
      this.results.appendChild(el("p", { class: "cp-muted" }, "Fix " + label + " in the settings to see the convolution."));
    };

    Playground.prototype.update = function (fromControl) {
      this.stop();
      var raw = this.raw();
      if (fromControl) window.history.replaceState(window.history.state, "", addressOf(raw));
      this.summaryText.textContent = (isOn(raw.transposed) ? "ConvTranspose1d" : "Conv1d") +
        (isOn(raw.causal) ? ", causal" : "") + " \u00b7 input " + shortValues(raw.input, true) + " \u00b7 weight " +
        shortValues(raw.weight, false) + " \u00b7 stride " + String(raw.stride).slice(0, 8) +
        (isOn(raw.causal) ? "" : " \u00b7 padding " + String(raw.padding).slice(0, 8));
      var wrong = Object.keys(this.pending)[0];
      var result = wrong ? { error: this.pending[wrong], field: wrong } : core.compute(raw);
      if (result.error) {
        /* empty channel counts (an address with an error) get what the texts hold, as far as they tell */
        var c = this.controls, parts = String(raw.weight).split(";");
        if (!c.in_channels.value) c.in_channels.value = String(String(raw.input).split(";").length);
        if (!c.out_channels.value && !isOn(raw.transposed)) c.out_channels.value = String(parts.length);
        this.fail(result.error, result.field);
        return;
      }
      this.clearFieldErrors();
      this.error.textContent = "";
      this.error.hidden = true;
      this.showNotes();
      this.trace = result.trace;
      this.controls.in_channels.value = String(this.trace.config.inChannels);
      this.controls.out_channels.value = String(this.trace.config.outChannels);
      this.step = Math.min(this.step, this.trace.steps.length - 1);
      this.pinned = null;
      this.render();
    };

    /* --- the step view ------------------------------------------------------------------------------------------ */

    /* where each cell sits, in columns: the padded input's cells one per column and each output under the middle of
       its window (Conv1d); the output's columns, uncropped, with each input above the middle of the kernel copy it
       spreads (ConvTranspose1d) */
    function geometry(trace) {
      var config = trace.config, s = config.stride, d = config.dilation, k = config.weight[0][0].length;
      var length = config.input[0].length, span = d * (k - 1) + 1;
      if (trace.op === "conv1d") {
        return {
          columns: trace.cells[0].length,
          input: function (q) { return q; },
          output: function (t) { return t * s + (span - 1) / 2; },
        };
      }
      var full = (length - 1) * s + span, pad = trace.cropped;
      return {
        columns: Math.max(full, pad + trace.outLength), full: full,
        input: function (i) { return i * s + (span - 1) / 2; },
        output: function (o) { return o + pad; },
        landing: function (i, j) { return i * s + j * d; },
      };
    }

    Playground.prototype.render = function () {
      var trace = this.trace, self = this, box = this.results, config = trace.config;
      var transposed = trace.op === "conv_transpose1d";
      var where = this.where = geometry(trace);
      box.textContent = "";
      this.currentNodes = [];

      var stepper = el("div", { class: "cp-stepper" });
      /* the step controls: beside the cells on a wide screen, above them and sticky on a phone */
      var nav = this.nav = el("div", { class: "cp-steps", role: "group", "aria-label": "Step through the outputs" });
      var buttons = el("div", { class: "cp-step-buttons" });
      var previous = el("button", { type: "button", class: "md-button" }, "\u2190 Previous");
      var next = el("button", { type: "button", class: "md-button" }, "Next \u2192");
      var play = el("button", { type: "button", class: "md-button md-button--primary cp-play", "aria-pressed": "false" },
        "Play");
      [previous, next, play].forEach(function (node) { buttons.appendChild(node); });
      var sliderBox = el("div", { class: "cp-slider" });
      var slider = el("input", { id: "cp-step", type: "range", min: "0", max: String(trace.steps.length - 1), step: "1" });
      slider.value = String(this.step);
      this.count = el("span", { class: "cp-count", "aria-hidden": "true" });
      sliderBox.appendChild(el("label", { for: "cp-step" }, "Step"));
      sliderBox.appendChild(slider);
      sliderBox.appendChild(this.count);
      previous.addEventListener("click", function () { self.stop(); self.go(self.step - 1, "step"); });
      next.addEventListener("click", function () { self.stop(); self.go(self.step + 1, "step"); });
      /* while a finger drags the slider the page keeps still (the slider would move under it); it follows the step
         when the drag ends, or at once for a key */
      slider.addEventListener("input", function () { self.stop(); self.go(Number(slider.value), "slide"); });
      slider.addEventListener("change", function () { self.reveal("step"); });
      play.addEventListener("click", function () { self.toggle(); });
      nav.appendChild(buttons);
      nav.appendChild(sliderBox);
      this.playButton = play;
      this.slider = slider;
      stepper.appendChild(nav);

      var view = el("div", { class: "cp-view" });
      this.status = el("p", { class: "cp-status", "aria-live": "polite", "data-testid": "status" });
      view.appendChild(this.status);
      this.sums = el("ul", { class: "cp-sums", "data-testid": "channel-sums" });
      view.appendChild(this.sums);

      /* the strip: (padded) input rows with the kernel under the window, the links to the output, the outputs */
      var strip = this.strip = el("div", {
        class: "cp-strip" + (transposed ? " cp-transposed" : ""), role: "region", "aria-label": "Cells at this step",
        tabindex: "0",
      });
      var track = el("div", { class: "cp-track" });
      var values = [], captions = [];
      trace.cells.forEach(function (row, c) {
        row.forEach(function (cell) { values.push(fmt(cell.value)); captions.push(cellCaption(trace, c, cell)); });
      });
      trace.steps.forEach(function (step) {
        values.push(fmt(step.output));
        captions.push(outputCaption(trace, step) + (transposed && config.output_padding ? " op" : ""));
        step.terms.forEach(function (t) { values.push(fmt(t.weight), transposed ? fmt(t.product) : ""); });
      });
      track.style.setProperty("--pitch", pitch(values, captions));
      track.style.setProperty("--cols", String(where.columns));
      strip.appendChild(track);
      this.track = track;

      this.cellNodes = [];
      this.kernelNodes = [];
      this.inputRows = [];
      var k = config.weight[0][0].length;
      trace.cells.forEach(function (row, c) {
        var label = transposed ? "Input" : config.causal ? "Input, causal padding on the left; the kernel under it"
          : "Padded input, the kernel under the window";
        if (config.inChannels > 1) label = label.replace(/^(Padded input|Input)/, "$1, channel " + c);
        var rowLabel = el("p", { class: "cp-row-label" }, label);
        var inputRow = el("div", { class: "cp-row", "aria-label": label.split(";")[0].split(", the")[0], role: "group" });
        var nodes = [];
        row.forEach(function (cell, q) {
          var unread = cell.kind === "input" && trace.unread.some(function (u) { return u[0] === c && u[1] === cell.source; });
          var attributes = {
            class: "cp-cell cp-" + cell.kind + (unread ? " cp-unread" : ""), title: cellTitle(trace, c, cell, unread),
          };
          if (cell.kind === "input") attributes["data-testid"] = "input-" + c + "-" + cell.source;
          var node = cellButton(attributes, el("span", { class: "cp-value" }, fmt(cell.value)), cellCaption(trace, c, cell));
          place(node, where.input(q));
          node.addEventListener("mouseenter", function () { self.link("in", c, cell.position); });
          node.addEventListener("focus", function () { self.link("in", c, cell.position); });
          node.addEventListener("mouseleave", function () { self.unlink(); });
          node.addEventListener("blur", function () { self.unlink(); });
          node.addEventListener("click", function () { self.pin("in", c, cell.position); });
          inputRow.appendChild(node);
          nodes.push(node);
        });
        rovingRow(inputRow);
        var group = el("div", { class: "cp-channel" });
        group.appendChild(rowLabel);
        group.appendChild(inputRow);
        var slots = [];
        if (!transposed) { /* the kernel, moved under the window at each step */
          var kernelRow = el("div", { class: "cp-row cp-kernel", "aria-hidden": "true" });
          range(k).forEach(function () {
            var slot = el("div", { class: "cp-cell cp-slot" });
            slot.appendChild(el("span", { class: "cp-value" }));
            slot.appendChild(el("span", { class: "cp-caption" }));
            kernelRow.appendChild(slot);
            slots.push(slot);
          });
          group.appendChild(kernelRow);
        }
        track.appendChild(group);
        self.inputRows.push({ group: group, label: rowLabel, text: label });
        self.cellNodes.push(nodes);
        self.kernelNodes.push(slots);
      });

      /* the links from the cells read to the output being made (transposed: and where those inputs spread) */
      this.connector = svg("svg", {
        class: "cp-connector", "aria-hidden": "true", focusable: "false", "data-testid": "connector",
        viewBox: "0 0 " + where.columns + " 1", preserveAspectRatio: "none",
      });
      track.appendChild(this.connector);

      if (transposed) { /* labels under the rows from here on: the lines run straight into the cells */
        this.scatter = el("div", { class: "cp-scatter", "data-testid": "scatter" });
        track.appendChild(this.scatter);
        track.appendChild(el("p", { class: "cp-row-label cp-under" },
          "Scatter: each input cell\u2019s weighted copy of the kernel, where it lands"));
      } else {
        this.scatter = null;
      }

      this.outputNodes = [];
      range(config.outChannels).forEach(function (co) {
        var label = config.outChannels > 1 ? "Output, channel " + co : "Output";
        var outputRow = el("div", { class: "cp-row cp-output-row", role: "group", "aria-label": label });
        if (transposed) {
          range(where.columns).forEach(function (u) {
            var o = u - trace.cropped;
            if (o >= 0 && o < trace.outLength) return;
            var cropped = place(el("div", { class: "cp-cell cp-cropped", title: "cropped by padding=" + trace.cropped }), u);
            cropped.appendChild(el("span", { class: "cp-value" }, "\u2013"));
            cropped.appendChild(el("span", { class: "cp-caption" }, "cropped"));
            outputRow.appendChild(cropped);
          });
        }
        range(trace.outLength).forEach(function (o) {
          var index = co * trace.outLength + o, step = trace.steps[index];
          var value = el("span", { class: "cp-value", "data-value": String(step.output) }, fmt(step.output));
          if (config.outChannels === 1) value.setAttribute("data-testid", "output-" + o);
          var extra = transposed && o >= trace.outLength - config.output_padding; /* added by output_padding */
          var title = outputName(trace, step) + " = " + fmt(step.output) + (!extra ? ""
            : !step.terms.length ? " (added by output_padding: no kernel copy lands on it, so it holds only the bias)"
              : " (added by output_padding: without it, padding would crop this cell)");
          var node = cellButton({
            class: "cp-cell cp-output" + (extra ? " cp-extra" : ""), "data-testid": "output-" + co + "-" + o, title: title,
          }, value, outputCaption(trace, step) + (extra ? " op" : ""));
          place(node, where.output(o));
          node.addEventListener("mouseenter", function () { self.link("out", index); });
          node.addEventListener("focus", function () { self.link("out", index); });
          node.addEventListener("mouseleave", function () { self.unlink(); });
          node.addEventListener("blur", function () { self.unlink(); });
          node.addEventListener("click", function () { self.stop(); self.go(index, "tap"); self.pin("out", index); });
          outputRow.appendChild(node);
          self.outputNodes[index] = node;
        });
        /* reading order: cells left to right, cropped ones included */
        Array.prototype.slice.call(outputRow.children).sort(function (a, b) {
          return Number(a.style.getPropertyValue("--c")) - Number(b.style.getPropertyValue("--c"));
        }).forEach(function (node) { outputRow.appendChild(node); });
        rovingRow(outputRow);
        track.appendChild(outputRow);
        track.appendChild(el("p", { class: "cp-row-label cp-under" }, label));
      });
      view.appendChild(strip);

      var legend = transposed
        ? "Each input cell x[i] adds x[i]\u00b7wj to output y[i\u00b7stride + j\u00b7dilation \u2212 padding]; the lines " +
          "join the inputs that feed the current output to it, and show where else their copies land. Cells marked " +
          "\u201ccropped\u201d are cut off by padding. \u201cop\u201d marks the cells output_padding adds at the right " +
          "end: like every output, each holds the kernel copies that land on it plus the bias, and only the bias " +
          "where no copy lands (past the last copy, for one)."
        : (config.causal
          ? "Causal: dilation\u00b7(K\u22121) = " + trace.padding[0] + " zeros on the left only, so y[t] reads no input " +
            "after x[" + (config.stride === 1 ? "t" : config.stride + "t") + "]; padding and padding mode are not used."
          : "Dashed cells are padding: \u201cpad\u201d holds a zero, \u201c=x[1]\u201d copies input x[1]. " +
            "Struck-through inputs are never read.") +
          " The lines join the cells of the window to the output they make.";
      view.appendChild(el("p", { class: "cp-legend" }, legend + " Hover, focus or tap a cell to mark every cell linked to it."));
      this.linkNote = el("p", { class: "cp-link-note", "data-testid": "link-note" });
      view.appendChild(this.linkNote);
      stepper.appendChild(view);
      box.appendChild(stepper);
      this.reads = core.links(trace);
      this.rowNodes = [];
      this.go(this.step, "render");
      /* what lies below the step view comes in the next task */
      var token = this.renderToken = {};
      window.setTimeout(function () {
        if (self.renderToken === token && self.trace === trace) self.renderDetails(trace, box);
      }, 0);
    };

    Playground.prototype.renderDetails = function (trace, box) {
      var config = trace.config, self = this;

      var lengthBox = el("div", { class: "cp-length" });
      lengthBox.appendChild(el("p", {}, "Output length"));
      var formulaBlock = el("pre", {});
      formulaBlock.appendChild(el("code", { tabindex: "0" }, trace.lengthFormula.join("\n      "))); /* the code scrolls */
      lengthBox.appendChild(formulaBlock);
      box.appendChild(lengthBox);
      if (trace.unread.length) {
        var many = trace.unread.length > 1;
        box.appendChild(el("p", { class: "cp-note" }, "Never read: " + trace.unread.map(function (u) {
          return inputName(trace, u[0], u[1]) + " = " + fmt(config.input[u[0]][u[1]]);
        }).join(", ") + ". " + (trace.op === "conv1d" ? "No window reaches " + (many ? "these inputs." : "this input.")
          : "Every copy of the kernel " + (many ? "they spread lands" : "it spreads lands") + " on a cropped cell.")));
      }

      var tableWrap = el("div", { class: "cp-table", role: "region", "aria-label": "Every output", tabindex: "0" });
      var table = el("table", {});
      table.appendChild(el("caption", {}, "Every output, by hand"));
      var head = el("tr", {});
      ["output", "formula", "arithmetic"].forEach(function (name) { head.appendChild(el("th", { scope: "col" }, name)); });
      var thead = el("thead", {});
      thead.appendChild(head);
      table.appendChild(thead);
      var body = el("tbody", {});
      this.rowNodes = trace.steps.map(function (step) {
        var row = el("tr", {});
        row.appendChild(el("th", { scope: "row" }, outputName(trace, step)));
        row.appendChild(el("td", {}, core.formula(trace, step)));
        row.appendChild(el("td", {}, core.arithmetic(trace, step)));
        body.appendChild(row);
        return row;
      });
      table.appendChild(body);
      tableWrap.appendChild(table);
      box.appendChild(tableWrap);

      box.appendChild(el("p", { class: "cp-code-label" }, "The same configuration in PyTorch:"));
      var pre = el("pre", { class: "cp-code" });
      pre.appendChild(el("code", { "data-testid": "pytorch-code", tabindex: "0" }, pytorchCode(trace)));
      box.appendChild(pre);
      this.rowNodes.forEach(function (row, i) { row.classList.toggle("cp-current", i === self.step); });
    };

    /* linked cells: an output and the input cells it reads, or an input cell and every output it feeds */
    Playground.prototype.link = function (side, a, b) {
      var trace = this.trace, self = this;
      if (!trace) return;
      this.clearLinks();
      var inputs = [], outputs = [], text;
      if (side === "out") {
        var step = trace.steps[a];
        outputs.push(this.outputNodes[a]);
        this.reads[a].forEach(function (r) {
          inputs.push(self.cellNodes[r[0]][r[1]]);
          if (r[2] !== null && trace.cells[r[0]][r[1]].kind !== "input") {
            inputs.push(self.cellNodes[r[0]][r[2] + trace.padding[0]]); /* the input cell a padding cell copies */
          }
        });
        var order = [], through = {};
        step.terms.slice().sort(function (p, q) { /* in reading order: by channel, then by position */
          return p.channel - q.channel || p.source - q.source || p.tap - q.tap;
        }).forEach(function (t) {
          if (t.source === null) return;
          var name = inputName(trace, t.channel, t.source);
          if (!through[name]) { through[name] = []; order.push(name); }
          through[name].push(weightName(trace, t));
        });
        var bias = trace.config.bias === null ? "0" : "the bias";
        text = outputName(trace, step) + (order.length ? " reads " + order.map(function (name) {
          return name + " (\u00d7" + through[name].join(", \u00d7") + ")";
        }).join(", ") + "; its gradient flows back to each of them through the weights beside it."
          : " reads no input cell: it is " + bias + " alone.");
      } else {
        var cell = trace.cells[a][b];
        inputs.push(this.cellNodes[a][b]);
        var source = cell.source;
        var fed = [];
        this.reads.forEach(function (list, index) {
          var hit = list.some(function (r) { return r[0] === a && (source === null ? r[1] === b : r[2] === source); });
          if (hit) { outputs.push(self.outputNodes[index]); fed.push(outputName(trace, trace.steps[index])); }
        });
        if (source !== null) {
          trace.cells[a].forEach(function (other, q) { if (other.source === source && q !== b) inputs.push(self.cellNodes[a][q]); });
        }
        var name = source === null ? "this padding zero" : inputName(trace, a, source);
        text = source === null ? name + " is read by " + (fed.length ? fed.join(", ") : "no output") + "."
          : name + " feeds " + (fed.length ? fed.join(", ") : "no output") + ".";
      }
      mark(inputs, true);
      mark(outputs, true);
      this.linkNote.textContent = text;
    };

    Playground.prototype.clearLinks = function () {
      this.root.querySelectorAll(".cp-results [data-linked]").forEach(function (node) { node.removeAttribute("data-linked"); });
    };

    Playground.prototype.pin = function (side, a, b) {
      this.pinned = [side, a, b];
      this.link(side, a, b);
    };

    Playground.prototype.unlink = function () {
      if (this.pinned) {
        this.link(this.pinned[0], this.pinned[1], this.pinned[2]);
      } else {
        this.clearLinks();
        this.linkNote.textContent = "";
      }
    };

    /* go to step ``index``; how: "step" (a button), "slide" (the slider), "play", "tap" (an output cell), "render" */
    Playground.prototype.go = function (index, how) {
      var trace = this.trace;
      if (!trace) return;
      var count = trace.steps.length, config = trace.config, where = this.where;
      this.step = Math.max(0, Math.min(count - 1, index));
      var step = trace.steps[this.step];
      var self = this;
      var reading = core.readsChannels(trace, step.channel);
      /* a new step: the marks of a tap or a hover belong to the old one */
      this.pinned = null;
      this.clearLinks();
      this.linkNote.textContent = "";
      this.currentNodes.forEach(function (node) {
        node.classList.remove("cp-current");
        node.removeAttribute("aria-current");
      });
      var current = this.currentNodes = [];
      function now(node) {
        if (!node || current.indexOf(node) >= 0) return;
        node.classList.add("cp-current");
        node.setAttribute("aria-current", "step");
        current.push(node);
      }
      this.inputRows.forEach(function (row, c) {
        var read = reading.channels.indexOf(c) >= 0;
        row.group.classList.toggle("cp-other", !read);
        row.label.textContent = row.text + (config.inChannels > 1 && !read ? " (another group: not read by " +
          outputName(trace, step) + ")" : "");
      });
      this.kernelNodes.forEach(function (slots) { slots.forEach(function (slot) { slot.hidden = true; }); });
      step.terms.forEach(function (t) {
        now(self.cellNodes[t.channel][t.cell]);
        if (trace.op !== "conv1d") return;
        var slot = self.kernelNodes[t.channel][t.tap];
        slot.hidden = false;
        place(slot, where.input(t.cell));
        slot.title = weightName(trace, t) + " = " + fmt(t.weight);
        slot.firstChild.textContent = fmt(t.weight);
        slot.lastChild.textContent = "w" + t.tap;
      });
      now(this.outputNodes[this.step]);
      if (trace.op === "conv_transpose1d") this.drawScatter(step, now);
      this.drawConnector(step);
      this.rowNodes.forEach(function (row, i) { row.classList.toggle("cp-current", i === self.step); });
      this.slider.value = String(this.step);
      this.slider.setAttribute("aria-valuetext", "step " + (this.step + 1) + " of " + count);
      this.count.textContent = (this.step + 1) + " / " + count;
      var name = outputName(trace, step);
      var text = "Step " + (this.step + 1) + " of " + count + ": " + (step.terms.length
        ? name + " = " + core.formula(trace, step) + " = " + core.arithmetic(trace, step)
        : "no input cell reaches " + name + ", so " + name + " = " + core.arithmetic(trace, step));
      this.sums.textContent = "";
      if (config.inChannels > 1) {
        var groupText = config.groups > 1 ? " (group " + reading.group + " of " + config.groups + ")" : "";
        text += ". It reads input channel" + (reading.channels.length > 1 ? "s " : " ") + reading.channels.join(", ") +
          groupText + " and sums over them.";
        var sums = core.channelSums(trace, step);
        sums.forEach(function (s) {
          self.sums.appendChild(el("li", {}, "channel " + s.channel + ": " + s.text + " = " + fmt(s.sum)));
        });
        self.sums.appendChild(el("li", {}, "sum over channels" + (config.bias !== null ? " + bias" : "") + ": " +
          core.signedSum(sums.map(function (s) { return fmt(s.sum); }).concat(config.bias !== null ? [fmt(step.bias)] : [])) +
          " = " + fmt(step.output)));
      }
      if (this.status.textContent !== text) this.status.textContent = text;
      this.reveal(how);
    };

    /* the lines from the cells a step reads to its output; transposed: from each input that feeds it to where its
       copy lands on the current output, and, fainter, to where its other copies land */
    Playground.prototype.drawConnector = function (step) {
      var trace = this.trace, where = this.where, box = this.connector;
      while (box.firstChild) box.removeChild(box.firstChild);
      var to = where.output(step.position) + 0.5;
      var seen = {};
      function line(x1, x2, kind) {
        box.appendChild(svg("line", {
          x1: String(x1), y1: "0", x2: String(x2), y2: "1", class: kind, "vector-effect": "non-scaling-stroke",
        }));
      }
      step.terms.forEach(function (t) {
        if (trace.op === "conv1d") {
          if (!seen[t.cell]) line(where.input(t.cell) + 0.5, to, "cp-line");
          seen[t.cell] = true;
          return;
        }
        if (seen[t.source]) return;
        seen[t.source] = true;
        var from = where.input(t.source) + 0.5, k = trace.config.weight[0][0].length;
        range(k).forEach(function (j) {
          var land = where.landing(t.source, j) + 0.5;
          if (land !== to) line(from, land, "cp-line cp-fan");
        });
        line(from, to, "cp-line");
      });
    };

    /* ConvTranspose1d: for the current output channel, one row per input cell of its group, on the output's columns */
    Playground.prototype.drawScatter = function (step, now) {
      var trace = this.trace, config = trace.config, where = this.where, box = this.scatter;
      var reading = core.readsChannels(trace, step.channel), c = step.channel % config.weight[0].length;
      var pad = trace.cropped, k = config.weight[0][0].length;
      box.textContent = "";
      var rows = 0;
      reading.channels.forEach(function (ci) {
        config.input[ci].forEach(function (value, i) {
          var name = inputName(trace, ci, i);
          var row = el("div", { class: "cp-row cp-scatter-row", title: name + "\u2019s copy of the kernel" });
          range(k).forEach(function (j) {
            var u = where.landing(i, j), o = u - pad, cropped = o < 0 || o >= trace.outLength;
            var cell = place(el("div", {
              class: "cp-cell cp-spread" + (cropped ? " cp-cropped" : ""),
              title: name + "\u00b7" + weightName(trace, { tap: j, index: [ci, c, j] }) + " = " +
                fmt(value * config.weight[ci][c][j]) + (cropped ? ", cropped" : ", added to y[" + o + "]"),
            }), u);
            cell.appendChild(el("span", { class: "cp-value" }, fmt(value * config.weight[ci][c][j])));
            cell.appendChild(el("span", { class: "cp-caption" }, "w" + j));
            row.appendChild(cell);
            if (!cropped && o === step.position) now(cell);
          });
          box.appendChild(row);
          rows += 1;
        });
      });
      var scrolls = rows > 5;
      box.classList.toggle("cp-scroll", scrolls);
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Scatter rows");
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (name) { box.removeAttribute(name); });
      }
    };

    /* keep the step in sight: the strip (and the scatter) scroll to the current cells, and the page scrolls when they
       are above or below the screen; not on the first drawing. A tapped cell is in sight already, and nothing moves
       under the reader's finger: had the strip scrolled, the cell now under the pointer would take the hover and
       show its neighbour's links instead of the tapped one's */
    Playground.prototype.reveal = function (how) {
      if (how === "tap") return;
      var nodes = this.currentNodes.concat(this.kernelNodes.reduce(function (all, slots) {
        return all.concat(slots.filter(function (slot) { return !slot.hidden; }));
      }, []));
      if (!nodes.length || !this.strip.isConnected) return;
      function bounds(list) {
        var box = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
        list.forEach(function (node) {
          var r = node.getBoundingClientRect();
          box.left = Math.min(box.left, r.left); box.right = Math.max(box.right, r.right);
          box.top = Math.min(box.top, r.top); box.bottom = Math.max(box.bottom, r.bottom);
        });
        return box;
      }
      var strip = this.strip, frame = strip.getBoundingClientRect(), seen = bounds(nodes);
      var margin = Math.min(nodes[0].getBoundingClientRect().width, /* a column's width, or what room there is */
        Math.max(0, (strip.clientWidth - (seen.right - seen.left)) / 2));
      if (seen.left < frame.left + margin || seen.right > frame.left + strip.clientWidth - margin) {
        strip.scrollLeft += (seen.left + seen.right) / 2 - (frame.left + strip.clientWidth / 2);
      }
      var scatter = this.scatter;
      if (scatter && scatter.scrollHeight > scatter.clientHeight + 1) {
        var spread = bounds(nodes.filter(function (node) { return scatter.contains(node); }));
        var pane = scatter.getBoundingClientRect();
        if (spread.top < pane.top || spread.bottom > pane.top + scatter.clientHeight) {
          scatter.scrollTop += (spread.top + spread.bottom) / 2 - (pane.top + scatter.clientHeight / 2);
        }
      }
      if (how === "render" || how === "slide") return;
      var height = document.documentElement.clientHeight;
      if (how === "play") { /* a reader who scrolled away from the steps while they play is left there */
        var shown = strip.getBoundingClientRect();
        if (shown.bottom < 0 || shown.top > height) return;
      }
      seen = bounds(nodes);
      var top = 0, header = document.querySelector(".md-header");
      if (header) top = Math.max(0, header.getBoundingClientRect().bottom);
      var bar = this.nav.getBoundingClientRect(), style = getComputedStyle(this.nav);
      if (style.position === "sticky" && bar.left < seen.right && bar.right > seen.left) {
        top = Math.max(top, parseFloat(style.top) + bar.height); /* where the controls stick, above the cells */
      }
      var gap = 8, delta = 0;
      if (seen.top < top + gap) delta = seen.top - top - gap;
      else if (seen.bottom > height - gap) delta = Math.min(seen.bottom - height + gap, seen.top - top - gap);
      if (delta) window.scrollBy({ top: delta, left: 0, behavior: "instant" });
    };

    Playground.prototype.toggle = function () {
      if (this.timer !== null) {
        this.stop();
        return;
      }
      var self = this;
      if (this.step >= this.trace.steps.length - 1) this.go(0, "step");
      this.playButton.textContent = "Pause";
      this.playButton.setAttribute("aria-pressed", "true");
      this.timer = window.setInterval(function () {
        if (!self.root.isConnected || !self.trace || self.step >= self.trace.steps.length - 1) {
          self.stop();
          return;
        }
        self.go(self.step + 1, "play");
      }, 1200);
    };

    /* --- the stack on the page ------------------------------------------------------------------------------- */

    Playground.prototype.stackLayers = function () {
      return String(this.stackRaw.layers).split(";").map(function (part) { return part.split(","); });
    };

    Playground.prototype.stackField = function (form, key, label, hint, control) {
      var wrap = el("div", { class: "cp-field" + (key === "stack_input" ? " cp-wide" : "") });
      wrap.appendChild(el("label", { for: control.id }, label));
      wrap.appendChild(control);
      if (hint) {
        control.setAttribute("aria-describedby", control.id + "-hint");
        wrap.appendChild(el("span", { id: control.id + "-hint", class: "cp-hint" }, hint));
      }
      var message = el("p", { id: control.id + "-error", class: "cp-field-error" });
      message.hidden = true;
      wrap.appendChild(message);
      this.stackFields[key] = { control: control, message: message, hint: hint ? control.id + "-hint" : "" };
      form.appendChild(wrap);
      return wrap;
    };

    Playground.prototype.buildStackForm = function () {
      var self = this, form = this.stackForm;
      form.textContent = "";
      this.stackFields = {};
      var lengthInput = wholeNumber("cp-stack_length", "stack_length", 1);
      lengthInput.value = this.stackRaw.stack_length;
      lengthInput.addEventListener("input", function () {
        self.stackRaw.stack_length = lengthInput.value;
        var length = Number(lengthInput.value), given = String(self.stackRaw.stack_input || "").trim();
        if (given && core.INTEGER.test(lengthInput.value.trim()) && length >= 1 && length <= LIMITS.input) {
          var parts = given.split(","); /* the values follow the length: cut, or go on with zeros */
          self.stackRaw.stack_input = range(length).map(function (i) { return i < parts.length ? parts[i].trim() : "0"; }).join(",");
          valuesInput.value = self.stackRaw.stack_input;
        }
        self.updateStack(true);
      });
      this.stackField(form, "stack_length", "Input length", "", lengthInput);
      var valuesInput = el("input", { id: "cp-stack_input", type: "text", autocomplete: "off", spellcheck: "false" });
      valuesInput.value = this.stackRaw.stack_input || "";
      valuesInput.addEventListener("input", function () {
        self.stackRaw.stack_input = valuesInput.value;
        try {
          var values = valuesInput.value.trim() ? core.numbers("stack_input", "stack_input", valuesInput.value, LIMITS.input) : null;
          if (values) {
            self.stackRaw.stack_length = String(values.length);
            lengthInput.value = self.stackRaw.stack_length;
          }
        } catch (error) {
          if (!(error instanceof core.Invalid)) throw error; /* named by the update below */
        }
        self.updateStack(true);
      });
      this.stackField(form, "stack_input", "Input values", "empty: an impulse, 1 in the middle and 0 elsewhere",
        valuesInput);
      var layers = this.stackLayers();
      var names = ["kernel", "stride", "dilation", "padding"];
      layers.forEach(function (values, n) {
        var fieldset = el("fieldset", { class: "cp-layer" });
        fieldset.appendChild(el("legend", {}, "Layer " + (n + 1)));
        names.forEach(function (name, a) {
          var key = "layer" + (n + 1) + "-" + name;
          var input = wholeNumber("cp-" + key, key, a === 3 ? 0 : 1);
          input.value = values[a] === undefined ? "" : values[a];
          input.addEventListener("input", function () {
            var all = self.stackLayers();
            all[n][a] = input.value;
            self.stackRaw.layers = all.map(function (v) { return v.join(","); }).join(";");
            self.updateStack(true);
          });
          self.stackField(fieldset, key, name, "", input);
        });
        form.appendChild(fieldset);
      });
      var buttons = el("div", { class: "cp-layer-buttons" });
      var add = el("button", { type: "button", class: "md-button" }, "Add a layer");
      var remove = el("button", { type: "button", class: "md-button" }, "Remove the top layer");
      add.disabled = layers.length >= LIMITS.layers;
      remove.disabled = layers.length <= 1;
      add.addEventListener("click", function () {
        self.stackRaw.layers += ";2,1,1,0";
        self.buildStackForm();
        self.updateStack(true);
        document.getElementById("cp-layer" + (layers.length + 1) + "-kernel").focus();
      });
      remove.addEventListener("click", function () {
        self.stackRaw.layers = self.stackLayers().slice(0, -1).map(function (v) { return v.join(","); }).join(";");
        self.buildStackForm();
        self.updateStack(true);
        document.getElementById("cp-stack_length").focus();
      });
      buttons.appendChild(add);
      buttons.appendChild(remove);
      form.appendChild(buttons);
    };

    Playground.prototype.stackFail = function (message, key) {
      var field = this.stackFields && this.stackFields[key];
      this.stack = null;
      this.stackError.textContent = message;
      this.stackError.hidden = false;
      if (field) {
        field.control.setAttribute("aria-invalid", "true");
        field.control.setAttribute("aria-describedby", (field.hint + " " + field.control.id + "-error").trim());
        field.message.textContent = message;
        field.message.hidden = false;
      }
      this.stackResults.appendChild(el("p", { class: "cp-muted" }, "Fix the layer settings above to see the stack."));
    };

    /* the column of each cell of each level: a cell of a layer sits above the middle of the window it reads, so a
       layer's cells are spaced by the product of the strides below it */
    function stackGeometry(stack) {
      var offsets = [0], jumps = [1];
      stack.layers.forEach(function (layer, n) {
        offsets.push(offsets[n] + jumps[n] * (layer.dilation * (layer.kernel - 1) / 2 - layer.padding));
        jumps.push(jumps[n] * layer.stride);
      });
      var low = Infinity, high = -Infinity;
      stack.lengths.forEach(function (length, level) {
        var pad = level < stack.layers.length ? stack.layers[level].padding : 0;
        low = Math.min(low, offsets[level] - jumps[level] * pad);
        high = Math.max(high, offsets[level] + jumps[level] * (length - 1 + pad));
      });
      return {
        columns: high - low + 1,
        column: function (level, p) { return offsets[level] + jumps[level] * p - low; },
      };
    }

    Playground.prototype.updateStack = function (fromControl) {
      if (fromControl) window.history.replaceState(window.history.state, "", addressOf(this.raw()));
      var box = this.stackResults, self = this;
      box.textContent = "";
      Object.keys(this.stackFields || {}).forEach(function (key) {
        var field = self.stackFields[key];
        field.control.removeAttribute("aria-invalid");
        if (field.hint) field.control.setAttribute("aria-describedby", field.hint);
        else field.control.removeAttribute("aria-describedby");
        field.message.textContent = "";
        field.message.hidden = true;
      });
      var result = core.computeStack(this.stackRaw);
      if (result.error) {
        this.stackFail(result.error, result.field);
        return;
      }
      var stack = this.stack = result.stack;
      if (this.stackFields && this.stackFields.stack_length.control.value.trim() === "") {
        this.stackFields.stack_length.control.value = String(stack.lengths[0]);
        this.stackRaw.stack_length = String(stack.lengths[0]);
      }
      this.stackError.textContent = "";
      this.stackError.hidden = true;
      var top = stack.layers.length;
      var terms = stack.layers.map(function (layer, n) {
        var jumps = stack.layers.slice(0, n).map(function (l) { return l.stride; });
        return layer.dilation + "\u00b7(" + layer.kernel + "\u22121)" + (jumps.length ? "\u00b7" + jumps.join("\u00b7") : "");
      });
      box.appendChild(el("p", { class: "cp-field-sizes", "data-testid": "receptive-field" },
        "Receptive field of one cell of layer " + top + ": R = 1 + " + terms.join(" + ") + " = " + stack.fields[top - 1] +
        " input cells (after " + stack.fields.map(function (f, n) { return "layer " + (n + 1) + ": " + f; }).join(", ") + ")."));
      box.appendChild(el("p", { class: "cp-field-sizes", "data-testid": "stack-lengths" },
        "Lengths: input " + stack.lengths[0] + stack.lengths.slice(1).map(function (length, n) {
          return " \u2192 layer " + (n + 1) + ": " + length;
        }).join("") + " cells."));
      var middle = Math.floor(stack.lengths[0] / 2);
      box.appendChild(el("p", { class: "cp-muted", "data-testid": "stack-values-note" }, stack.impulse
        ? "The input is an impulse: x[" + middle + "] = 1, every other input 0. Every weight is 1 and there is no bias, " +
          "so a cell\u2019s value counts the paths from x[" + middle + "] up to it: the cells that are not 0 are those " +
          "whose receptive field holds x[" + middle + "]."
        : "Every weight is 1 and there is no bias: each cell is the sum of the cells it reads (a padding cell reads 0)."));
      var where = stackGeometry(stack);
      var values = [], captions = [];
      stack.values.forEach(function (level, l) {
        level.forEach(function (v, p) { values.push(fmt(v)); captions.push((l ? "h" + l : "x") + "[" + p + "]"); });
      });
      var strip = el("div", { class: "cp-strip cp-stack-strip", role: "region", "aria-label": "The stack, top layer first", tabindex: "0" });
      var track = el("div", { class: "cp-track" });
      track.style.setProperty("--pitch", pitch(values, captions));
      track.style.setProperty("--cols", String(where.columns));
      strip.appendChild(track);
      this.stackNodes = [];
      for (var level = top; level >= 0; level--) {
        var pad = level < top ? stack.layers[level].padding : 0;
        var short = level === 0 ? "x" : "h" + level;
        var label = (level === 0 ? "Input x, " : "Layer " + level + " output " + short + ", ") + stack.lengths[level] + " cells";
        if (level > 0) {
          var layer = stack.layers[level - 1];
          label += " (kernel " + layer.kernel + ", stride " + layer.stride + ", dilation " + layer.dilation + ", padding " +
            layer.padding + ")";
        }
        if (pad) label += "; dashed: the " + pad + " padding cell" + (pad > 1 ? "s" : "") + " of layer " + (level + 1);
        track.appendChild(el("p", { class: "cp-row-label" }, label));
        var row = el("div", { class: "cp-row", role: "group", "aria-label": label });
        var nodes = {};
        for (var p = -pad; p < stack.lengths[level] + pad; p++) {
          var inside = p >= 0 && p < stack.lengths[level];
          var name = short + "[" + p + "]";
          var node;
          if (inside) {
            var value = fmt(stack.values[level][p]);
            node = cellButton({ "data-testid": "stack-" + level + "-" + p, title: name + " = " + value },
              el("span", { class: "cp-value", "data-value": String(stack.values[level][p]) }, value), name);
            (function (lv, pos) {
              node.addEventListener("mouseenter", function () { self.stackLink(lv, pos); });
              node.addEventListener("focus", function () { self.stackLink(lv, pos); });
              node.addEventListener("click", function () { self.stackPinned = [lv, pos]; self.stackLink(lv, pos); });
              node.addEventListener("mouseleave", function () { self.stackUnlink(); });
              node.addEventListener("blur", function () { self.stackUnlink(); });
            })(level, p);
          } else {
            node = el("div", { class: "cp-cell cp-zeros", title: "padding of layer " + (level + 1) + ": 0" });
            node.appendChild(el("span", { class: "cp-value" }, "0"));
            node.appendChild(el("span", { class: "cp-caption" }, "pad"));
          }
          place(node, where.column(level, p));
          nodes[p] = node;
          row.appendChild(node);
        }
        rovingRow(row);
        this.stackNodes[level] = nodes;
        track.appendChild(row);
      }
      box.appendChild(strip);
      this.stackNote = el("p", { class: "cp-link-note", "data-testid": "stack-note" });
      box.appendChild(this.stackNote);
      this.stackPinned = null;
    };

    Playground.prototype.stackLink = function (level, position) {
      var stack = this.stack, self = this;
      if (!stack) return;
      this.stackClear();
      var levels = core.footprint(stack, level, position);
      levels.forEach(function (cells, l) {
        cells.forEach(function (p) { if (self.stackNodes[l][p]) self.stackNodes[l][p].setAttribute("data-linked", "true"); });
      });
      var name = (level === 0 ? "x" : "h" + level) + "[" + position + "] = " + fmt(stack.values[level][position]);
      if (level === 0) {
        this.stackNote.textContent = name + " is an input cell: select a cell of a layer to see what it reads.";
        return;
      }
      var bottom = levels[0], real = bottom.filter(function (p) { return p >= 0 && p < stack.lengths[0]; });
      this.stackNote.textContent = name + " depends on input cells " + (real.length ? real[0] + " to " + real[real.length - 1] : "none") +
        " (" + real.length + " of them" + (real.length < bottom.length ? ", and " + (bottom.length - real.length) + " padding cells" : "") +
        "); one cell of layer " + level + " sees a window " + stack.fields[level - 1] + " input cells wide.";
    };

    Playground.prototype.stackClear = function () {
      this.root.querySelectorAll(".cp-stack [data-linked]").forEach(function (node) { node.removeAttribute("data-linked"); });
    };

    Playground.prototype.stackUnlink = function () {
      if (this.stackPinned) {
        this.stackLink(this.stackPinned[0], this.stackPinned[1]);
      } else {
        this.stackClear();
        if (this.stackNote) this.stackNote.textContent = "";
      }
    };

    var current = null;

    function start() {
      var root = document.querySelector("[data-conv-playground]");
      if (current) current.stop();
      current = root ? new Playground(root) : null;
    }

    /* Back and Forward within the page: the address's configuration, drawn again */
    window.addEventListener("popstate", function () {
      if (!current || !current.root.isConnected || window.location.pathname !== current.path) return;
      var address = readAddress();
      current.load(address.raw, address.unknown, false);
    });

    /* Plain data for tests: what the page shows for a configuration of strings. */
    function summary(raw) {
      var result = core.compute(raw);
      if (result.error) return { error: result.error, field: result.field };
      var trace = result.trace;
      var reads = core.links(trace);
      return {
        output: trace.output,
        formulas: trace.steps.map(function (step) { return core.formula(trace, step); }),
        arithmetic: trace.steps.map(function (step) { return core.arithmetic(trace, step); }),
        cells: trace.cells.map(function (row) { return row.map(function (cell) { return cell.value; }); }),
        sources: trace.cells.map(function (row) { return row.map(function (cell) { return cell.source; }); }),
        unread: trace.unread,
        padding: trace.padding,
        cropped: trace.cropped,
        reads: reads.map(function (list) { /* the input cells behind the cells read, each once */
          var seen = {};
          return list.filter(function (r) {
            var key = r[0] + ":" + r[2];
            if (r[2] === null || seen[key]) return false;
            seen[key] = true;
            return true;
          }).map(function (r) { return [r[0], r[2]]; });
        }),
        groups: trace.steps.map(function (step) { return core.readsChannels(trace, step.channel).channels; }),
        code: pytorchCode(trace),
      };
    }

    function stackSummary(raw) {
      var result = core.computeStack(raw);
      if (result.error) return { error: result.error, field: result.field };
      var stack = result.stack, top = stack.layers.length;
      return {
        lengths: stack.lengths, fields: stack.fields, values: stack.values,
        footprints: range(stack.lengths[top]).map(function (t) { return core.footprint(stack, top, t); }),
      };
    }

    Object.assign(window.convPlayground, {
      compute: core.compute, summary: summary, stack: stackSummary, fmt: fmt, address: addressOf,
    });

    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(start); /* mkdocs-material: runs on every page, instant navigation included */
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  });
})();

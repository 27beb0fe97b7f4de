/*
 * The convolution playground: the reader sets a 1-D convolution and steps through it.
 *
 * The arithmetic mirrors conv_docs (trace_conv1d / trace_conv_transpose1d); tests/test_playground.py checks it
 * in a browser against vectors made by conv_docs. Every value from the address or a control reaches the page
 * through textContent or a form value only, never through an HTML sink.
 *
 * Test hooks: window.convPlayground.compute(config) returns {trace} or {error} for a config of strings, as the
 * address would hold them: {input: "2,3,4", weight: "1,1", bias: "0", stride: "2", padding: "1", ...};
 * window.convPlayground.summary(config) returns the same as plain data (outputs, formulas, cells, code).
 */
(function () {
  "use strict";

  var MODES = ["zeros", "reflect", "replicate", "circular"];
  var LIMITS = { input: 64, weight: 16, stride: 16, dilation: 16, padding: 32 };
  var SEED = {
    input: "2,3,4", weight: "1,1", bias: "0", stride: "2", padding: "1",
    padding_mode: "zeros", dilation: "1", transposed: "", output_padding: "0",
  };
  var EMPTY = {
    input: "", weight: "", bias: "", stride: "1", padding: "0",
    padding_mode: "zeros", dilation: "1", transposed: "", output_padding: "0",
  };
  var KEYS = Object.keys(SEED);
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var INTEGER = /^[+-]?\d+$/;

  /* --- numbers as a reader writes them (Python's "%.6g", as conv_docs.trace.fmt) ----------------------------- */

  function stripZeros(text) {
    return text.indexOf(".") < 0 ? text : text.replace(/0+$/, "").replace(/\.$/, "");
  }

  function fmt(value) {
    if (value === 0) return "0";
    var exponent = Number(value.toExponential(5).split("e")[1]);
    if (exponent < -4 || exponent >= 6) {
      var parts = value.toExponential(5).split("e");
      var power = Math.abs(Number(parts[1]));
      return stripZeros(parts[0]) + "e" + (parts[1][0] === "-" ? "-" : "+") + (power < 10 ? "0" : "") + power;
    }
    return stripZeros(value.toFixed(5 - exponent));
  }

  /* Python's repr of a float, for the PyTorch code: 2.0, -0.5, 1e-07 */
  function pyFloat(value) {
    var text = String(value);
    return /[.e]/.test(text) || !isFinite(value) ? text : text + ".0";
  }

  /* --- reading a configuration ------------------------------------------------------------------------------- */

  function Invalid(message) {
    this.message = message;
  }

  function numbers(name, text) {
    var parts = String(text).split(/[\s,]+/).filter(function (part) { return part !== ""; });
    if (!parts.length) throw new Invalid(name + " needs at least one number, e.g. 2, 3, 4");
    if (parts.length > LIMITS[name]) {
      throw new Invalid(name + " can hold at most " + LIMITS[name] + " values here, got " + parts.length);
    }
    return parts.map(function (part) {
      var value = Number(part);
      if (!NUMBER.test(part) || !isFinite(value)) {
        throw new Invalid(name + " must be numbers separated by commas, got \u201c" + part + "\u201d");
      }
      return value;
    });
  }

  function integer(name, text, minimum, maximum) {
    var trimmed = String(text).trim();
    if (!INTEGER.test(trimmed)) throw new Invalid(name + " must be a whole number, got \u201c" + trimmed + "\u201d");
    var value = Number(trimmed);
    if (value < minimum) throw new Invalid(name + " must be at least " + minimum + ", got " + value);
    if (maximum !== undefined && value > maximum) {
      throw new Invalid(name + " can be at most " + maximum + " here, got " + value);
    }
    return value;
  }

  function parse(raw) {
    var config = {};
    config.transposed = raw.transposed === "1" || raw.transposed === "true";
    config.input = numbers("input", raw.input);
    config.weight = numbers("weight", raw.weight);
    var bias = String(raw.bias).trim();
    if (bias === "" || bias === "none") {
      config.bias = null;
    } else {
      if (!NUMBER.test(bias) || !isFinite(Number(bias))) {
        throw new Invalid("bias must be one number, or empty for no bias, got \u201c" + bias + "\u201d");
      }
      config.bias = Number(bias);
    }
    config.stride = integer("stride", raw.stride, 1, LIMITS.stride);
    config.dilation = integer("dilation", raw.dilation, 1, LIMITS.dilation);
    var padding = String(raw.padding).trim();
    if (padding === "same" || padding === "valid") {
      if (config.transposed) {
        throw new Invalid("padding must be a whole number for a transposed convolution ('same' and 'valid' are conv1d only)");
      }
      config.padding = padding;
    } else if (INTEGER.test(padding)) {
      config.padding = integer("padding", padding, 0, LIMITS.padding);
    } else {
      throw new Invalid("padding must be a whole number \u2265 0, 'same' or 'valid', got \u201c" + padding + "\u201d");
    }
    if (MODES.indexOf(raw.padding_mode) < 0) {
      throw new Invalid("padding_mode must be one of " + MODES.join(", ") + ", got \u201c" + raw.padding_mode + "\u201d");
    }
    config.padding_mode = raw.padding_mode;
    if (config.transposed) {
      if (config.padding_mode !== "zeros") {
        throw new Invalid("padding_mode must be zeros for a transposed convolution, got " + config.padding_mode);
      }
      config.output_padding = integer("output_padding", raw.output_padding, 0);
    } else {
      config.output_padding = 0;
    }
    return config;
  }

  /* --- the arithmetic, as conv_docs.trace does it -------------------------------------------------------------- */

  function paddingSource(q, length, left, mode) {
    var i = q - left;
    if (i >= 0 && i < length) return i;
    if (mode === "zeros") return null;
    if (mode === "reflect") return i < 0 ? -i : 2 * (length - 1) - i;
    if (mode === "replicate") return i < 0 ? 0 : length - 1;
    return ((i % length) + length) % length; /* circular */
  }

  function finishStep(config, position, terms) {
    var sum = 0;
    terms.forEach(function (term) { sum += term.product; });
    var bias = config.bias === null ? 0 : config.bias;
    return { position: position, terms: terms, output: bias + sum };
  }

  function traceConv1d(config) {
    var x = config.input, w = config.weight, length = x.length, k = w.length;
    var stride = config.stride, dilation = config.dilation, mode = config.padding_mode;
    var left, right;
    if (config.padding === "valid") {
      left = right = 0;
    } else if (config.padding === "same") {
      if (stride !== 1) {
        throw new Invalid("padding 'same' needs stride 1, got stride " + stride +
          ": with a larger stride no padding keeps the output as long as the input");
      }
      var total = dilation * (k - 1);
      left = Math.floor(total / 2);
      right = total - left;
    } else {
      left = right = config.padding;
    }
    if (mode === "reflect" && Math.max(left, right) >= length) {
      throw new Invalid("padding_mode reflect needs padding smaller than the input length " + length +
        ", got padding (" + left + ", " + right + ")");
    }
    if (mode === "circular" && Math.max(left, right) > length) {
      throw new Invalid("padding_mode circular may wrap around at most once: padding must be at most the input length " +
        length + ", got padding (" + left + ", " + right + ")");
    }
    var span = dilation * (k - 1) + 1;
    var padded = left + length + right;
    if (span > padded) {
      throw new Invalid("the kernel (" + k + " weights, dilation " + dilation + ") spans " + span +
        " cells, more than the padded input length " + padded + " (input " + length + ", padding (" + left + ", " + right + "))");
    }
    var cells = [];
    for (var q = 0; q < padded; q++) {
      var source = paddingSource(q, length, left, mode);
      var inside = q - left >= 0 && q - left < length;
      cells.push({ position: q, value: source === null ? 0 : x[source], kind: inside ? "input" : mode, source: source });
    }
    var outLength = Math.floor((length + left + right - span) / stride) + 1;
    var steps = [];
    for (var t = 0; t < outLength; t++) {
      var terms = [];
      for (var j = 0; j < k; j++) {
        var cell = cells[t * stride + j * dilation];
        terms.push({ tap: j, cell: cell.position, value: cell.value, weight: w[j], product: w[j] * cell.value });
      }
      steps.push(finishStep(config, t, terms));
    }
    return finishTrace(config, "conv1d", cells, steps, [left, right], [
      "L_out = floor((L + left + right \u2212 dilation\u00b7(K\u22121) \u2212 1) / stride) + 1",
      "= floor((" + length + " + " + left + " + " + right + " \u2212 " + dilation + "\u00b7(" + k + "\u22121) \u2212 1) / " +
        stride + ") + 1 = " + outLength,
    ]);
  }

  function traceConvTranspose1d(config) {
    var x = config.input, w = config.weight, length = x.length, k = w.length;
    var stride = config.stride, dilation = config.dilation, padding = config.padding, extra = config.output_padding;
    if (extra >= Math.max(stride, dilation)) {
      throw new Invalid("output_padding must be smaller than stride (" + stride + ") or dilation (" + dilation +
        "), got " + extra);
    }
    var outLength = (length - 1) * stride - 2 * padding + dilation * (k - 1) + extra + 1;
    if (outLength < 1) {
      throw new Invalid("the output length (L\u22121)\u00b7stride \u2212 2\u00b7padding + dilation\u00b7(K\u22121) + output_padding + 1 = " +
        outLength + " is below 1: reduce padding");
    }
    var cells = x.map(function (value, i) { return { position: i, value: value, kind: "input", source: i }; });
    var steps = [];
    for (var o = 0; o < outLength; o++) {
      var terms = [];
      for (var j = 0; j < k; j++) {
        var reach = o + padding - j * dilation;
        if (reach % stride !== 0) continue;
        var i = reach / stride;
        if (i < 0 || i >= length) continue;
        terms.push({ tap: j, cell: i, value: x[i], weight: w[j], product: w[j] * x[i] });
      }
      steps.push(finishStep(config, o, terms));
    }
    return finishTrace(config, "conv_transpose1d", cells, steps, [padding, padding], [
      "L_out = (L\u22121)\u00b7stride \u2212 2\u00b7padding + dilation\u00b7(K\u22121) + output_padding + 1",
      "= (" + length + "\u22121)\u00b7" + stride + " \u2212 2\u00b7" + padding + " + " + dilation + "\u00b7(" + k + "\u22121) + " +
        extra + " + 1 = " + outLength,
    ]);
  }

  function finishTrace(config, op, cells, steps, padding, lengthFormula) {
    var reached = {};
    steps.forEach(function (step) {
      step.terms.forEach(function (term) {
        var source = cells[term.cell].source;
        if (source !== null) reached[source] = true;
      });
    });
    var unread = [];
    config.input.forEach(function (_, i) { if (!reached[i]) unread.push(i); });
    return {
      op: op, config: config, cells: cells, steps: steps, padding: padding, unread: unread,
      output: steps.map(function (step) { return step.output; }), lengthFormula: lengthFormula,
    };
  }

  /* a negative factor after "*" in parentheses, and "a - b" rather than "a + -b" (conv_docs.trace.product, signed_sum) */
  function product(left, right) {
    return right.charAt(0) === "-" ? left + "*(" + right + ")" : left + "*" + right;
  }

  function signedSum(terms) {
    if (!terms.length) return "0";
    var text = terms[0];
    for (var k = 1; k < terms.length; k++) {
      text += terms[k].charAt(0) === "-" ? " - " + terms[k].slice(1) : " + " + terms[k];
    }
    return text;
  }

  function formula(trace, step) {
    var parts = step.terms.map(function (term) { return product(fmt(term.value), "w" + term.tap); });
    if (trace.config.bias !== null) parts.push("bias");
    return signedSum(parts);
  }

  function arithmetic(trace, step) {
    var parts = step.terms.map(function (term) { return product(fmt(term.value), fmt(term.weight)); });
    if (trace.config.bias !== null) parts.push(fmt(trace.config.bias));
    return signedSum(parts) + " = " + fmt(step.output);
  }

  function compute(raw) {
    try {
      var config = parse(Object.assign({}, EMPTY, raw || {}));
      return { trace: config.transposed ? traceConvTranspose1d(config) : traceConv1d(config) };
    } catch (error) {
      if (error instanceof Invalid) return { error: error.message };
      throw error;
    }
  }

  function pytorchCode(trace) {
    var c = trace.config;
    var floats = function (values) { return values.map(pyFloat).join(", "); };
    var padding = typeof c.padding === "string" ? '"' + c.padding + '"' : String(c.padding);
    var hasBias = c.bias !== null ? "True" : "False";
    var lines = ["import torch", ""];
    if (c.transposed) {
      lines.push("conv = torch.nn.ConvTranspose1d(");
      lines.push("    1, 1, kernel_size=" + c.weight.length + ", stride=" + c.stride + ", padding=" + padding + ",");
      lines.push("    output_padding=" + c.output_padding + ", bias=" + hasBias + ", dilation=" + c.dilation + ",");
      lines.push(")");
    } else {
      lines.push("conv = torch.nn.Conv1d(");
      lines.push("    1, 1, kernel_size=" + c.weight.length + ", stride=" + c.stride + ", padding=" + padding + ",");
      lines.push("    dilation=" + c.dilation + ", bias=" + hasBias + ', padding_mode="' + c.padding_mode + '",');
      lines.push(")");
    }
    lines.push("with torch.no_grad():");
    lines.push("    conv.weight.copy_(torch.tensor([[[" + floats(c.weight) + "]]]))");
    if (c.bias !== null) lines.push("    conv.bias.fill_(" + pyFloat(c.bias) + ")");
    lines.push("x = torch.tensor([[[" + floats(c.input) + "]]])  # (batch, channels, length)");
    lines.push("y = conv(x)");
    lines.push("print(y)  # " + trace.output.length + " values: " + trace.output.map(fmt).join(", "));
    return lines.join("\n");
  }

  /* --- the page ------------------------------------------------------------------------------------------------- */

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var given = KEYS.some(function (key) { return params.has(key); });
    var raw = {};
    KEYS.forEach(function (key) {
      var value = params.get(key);
      raw[key] = value === null ? (given ? EMPTY : SEED)[key] : value;
    });
    return raw;
  }

  function writeAddress(raw) {
    var query = KEYS.filter(function (key) {
      return !((key === "transposed" || key === "output_padding") && raw.transposed !== "1");
    }).map(function (key) {
      return key + "=" + encodeURIComponent(raw[key]).replace(/%2C/gi, ",");
    }).join("&");
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" + query);
  }

  var FIELDS = [
    { key: "input", label: "Input values", hint: "numbers separated by commas", type: "text" },
    { key: "weight", label: "Weights", hint: "the kernel w0, w1, \u2026: one number per tap", type: "text" },
    { key: "bias", label: "Bias", hint: "one number; empty for no bias", type: "text" },
    { key: "stride", label: "Stride", hint: "step between windows", type: "number", min: 1 },
    { key: "padding", label: "Padding", hint: "a whole number, same or valid", type: "text", list: ["0", "1", "2", "same", "valid"] },
    { key: "padding_mode", label: "Padding mode", hint: "what the padding cells hold", type: "select", options: MODES },
    { key: "dilation", label: "Dilation", hint: "spacing between taps", type: "number", min: 1 },
    { key: "transposed", label: "Transposed", hint: "ConvTranspose1d instead of Conv1d", type: "checkbox" },
    { key: "output_padding", label: "Output padding", hint: "cells added at the right end", type: "number", min: 0 },
  ];

  function buildForm(root, raw, controls) {
    var form = el("form", { class: "cp-form", "aria-label": "Convolution settings" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    FIELDS.forEach(function (field) {
      var id = "cp-" + field.key;
      var wrap = el("div", { class: "cp-field cp-field-" + field.type });
      var control;
      if (field.type === "select") {
        control = el("select", { id: id, name: field.key });
        field.options.forEach(function (option) { control.appendChild(el("option", { value: option }, option)); });
        control.value = MODES.indexOf(raw[field.key]) >= 0 ? raw[field.key] : "zeros";
      } else if (field.type === "checkbox") {
        control = el("input", { id: id, name: field.key, type: "checkbox" });
        control.checked = raw.transposed === "1" || raw.transposed === "true";
      } else {
        control = el("input", { id: id, name: field.key, type: field.type, autocomplete: "off", spellcheck: "false" });
        if (field.min !== undefined) control.setAttribute("min", String(field.min));
        if (field.list) {
          var list = el("datalist", { id: id + "-list" });
          field.list.forEach(function (option) { list.appendChild(el("option", { value: option })); });
          wrap.appendChild(list);
          control.setAttribute("list", id + "-list");
        }
        control.value = raw[field.key];
      }
      var label = el("label", { for: id }, field.label);
      if (field.hint) {
        control.setAttribute("aria-describedby", id + "-hint");
      }
      if (field.type === "checkbox") {
        wrap.appendChild(control);
        wrap.appendChild(label);
      } else {
        wrap.appendChild(label);
        wrap.appendChild(control);
      }
      if (field.hint) wrap.appendChild(el("span", { id: id + "-hint", class: "cp-hint" }, field.hint));
      controls[field.key] = control;
      form.appendChild(wrap);
    });
    root.appendChild(form);
    return form;
  }

  function readForm(controls) {
    var raw = {};
    KEYS.forEach(function (key) {
      raw[key] = key === "transposed" ? (controls.transposed.checked ? "1" : "") : controls[key].value;
    });
    return raw;
  }

  function cellCaption(cell) {
    if (cell.kind === "input") return "x[" + cell.source + "]";
    if (cell.source === null) return "pad";
    return "=x[" + cell.source + "]";
  }

  function cellTitle(cell) {
    if (cell.kind === "input") return "input x[" + cell.source + "] = " + fmt(cell.value);
    if (cell.source === null) return "padding zero";
    return cell.kind + " padding: a copy of x[" + cell.source + "] = " + fmt(cell.value);
  }

  function Playground(root) {
    this.root = root;
    this.controls = {};
    this.step = 0;
    this.timer = null;
    this.trace = null;
    root.textContent = "";
    root.classList.add("cp-ready");
    var raw = readAddress();
    buildForm(root, raw, this.controls);
    this.error = el("p", { "data-testid": "error", class: "cp-error", role: "alert" });
    root.appendChild(this.error);
    this.results = el("div", { class: "cp-results" });
    root.appendChild(this.results);
    var self = this;
    this.controls.transposed.addEventListener("change", function () { self.syncTransposed(); });
    Object.keys(this.controls).forEach(function (key) {
      self.controls[key].addEventListener("input", function () { self.update(true); });
      self.controls[key].addEventListener("change", function () { self.update(true); });
    });
    this.syncTransposed();
    this.update(false);
  }

  Playground.prototype.syncTransposed = function () {
    var transposed = this.controls.transposed.checked;
    this.controls.output_padding.disabled = !transposed;
    this.controls.padding_mode.disabled = transposed;
    if (transposed) this.controls.padding_mode.value = "zeros";
  };

  Playground.prototype.stop = function () {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    if (this.playButton) {
      this.playButton.textContent = "Play";
      this.playButton.setAttribute("aria-pressed", "false");
    }
  };

  Playground.prototype.update = function (fromControl) {
    this.stop();
    var raw = readForm(this.controls);
    if (fromControl) writeAddress(raw);
    var result = compute(raw);
    this.results.textContent = "";
    if (result.error) {
      this.trace = null;
      this.error.textContent = result.error;
      this.error.hidden = false;
      this.results.appendChild(el("p", { class: "cp-muted" }, "Fix the setting above to see the convolution."));
      return;
    }
    this.error.textContent = "";
    this.error.hidden = true;
    this.trace = result.trace;
    this.step = Math.min(this.step, this.trace.steps.length - 1);
    this.render();
  };

  Playground.prototype.render = function () {
    var trace = this.trace, self = this, box = this.results;
    var transposed = trace.op === "conv_transpose1d";

    /* step control */
    var nav = el("div", { class: "cp-steps", role: "group", "aria-label": "Step through the outputs" });
    var previous = el("button", { type: "button", class: "md-button" }, "\u2190 Previous");
    var play = el("button", { type: "button", class: "md-button md-button--primary", "aria-pressed": "false" }, "Play");
    var next = el("button", { type: "button", class: "md-button" }, "Next \u2192");
    var sliderLabel = el("label", { for: "cp-step" }, "Step");
    var slider = el("input", {
      id: "cp-step", type: "range", min: "0", max: String(trace.steps.length - 1), step: "1",
    });
    slider.value = String(this.step);
    previous.addEventListener("click", function () { self.stop(); self.go(self.step - 1); });
    next.addEventListener("click", function () { self.stop(); self.go(self.step + 1); });
    slider.addEventListener("input", function () { self.stop(); self.go(Number(slider.value)); });
    play.addEventListener("click", function () { self.toggle(); });
    [previous, play, next, sliderLabel, slider].forEach(function (node) { nav.appendChild(node); });
    this.playButton = play;
    this.slider = slider;
    box.appendChild(nav);
    this.status = el("p", { class: "cp-status", "aria-live": "polite", "data-testid": "status" });
    box.appendChild(this.status);

    /* the strip: (padded) input, the kernel under the window, the outputs */
    var strip = el("div", { class: "cp-strip", role: "region", "aria-label": "Cells at this step", tabindex: "0" });
    var inputRow = el("div", { class: "cp-row", role: "list", "aria-label": transposed ? "Input" : "Padded input" });
    var kernelRow = el("div", { class: "cp-row cp-kernel", "aria-hidden": "true" });
    this.cellNodes = [];
    this.kernelNodes = [];
    trace.cells.forEach(function (cell) {
      var unread = cell.kind === "input" && trace.unread.indexOf(cell.source) >= 0;
      var node = el("div", {
        class: "cp-cell cp-" + cell.kind + (unread ? " cp-unread" : ""), role: "listitem",
        title: cellTitle(cell) + (unread ? " (never read)" : ""),
      });
      node.appendChild(el("span", { class: "cp-value" }, fmt(cell.value)));
      node.appendChild(el("span", { class: "cp-caption" }, cellCaption(cell)));
      inputRow.appendChild(node);
      self.cellNodes.push(node);
      var slot = el("div", { class: "cp-cell cp-slot" });
      kernelRow.appendChild(slot);
      self.kernelNodes.push(slot);
    });
    strip.appendChild(el("p", { class: "cp-row-label" }, transposed ? "Input" : "Padded input"));
    strip.appendChild(inputRow);
    strip.appendChild(el("p", { class: "cp-row-label" }, "Kernel at this step"));
    strip.appendChild(kernelRow);
    strip.appendChild(el("p", { class: "cp-row-label" }, "Output"));
    var outputRow = el("div", { class: "cp-row", role: "list", "aria-label": "Output" });
    this.outputNodes = trace.steps.map(function (step, i) {
      var node = el("div", { class: "cp-cell cp-output", role: "listitem" });
      var value = el("span", {
        class: "cp-value", "data-testid": "output-" + i, "data-value": String(step.output),
      }, fmt(step.output));
      node.appendChild(value);
      node.appendChild(el("span", { class: "cp-caption" }, "y[" + i + "]"));
      outputRow.appendChild(node);
      return node;
    });
    strip.appendChild(outputRow);
    box.appendChild(strip);
    box.appendChild(el("p", { class: "cp-legend" },
      transposed
        ? "Each input cell x[i] adds x[i]\u00b7wj to output y[i\u00b7stride + j\u00b7dilation \u2212 padding]. Highlighted: the input cells that reach the current output, with the weight each one meets."
        : "Dashed cells are padding: \u201cpad\u201d holds a zero, \u201c=x[1]\u201d copies input x[1]. Struck-through inputs are never read."));

    /* output length */
    var length = el("div", { class: "cp-length" });
    length.appendChild(el("p", {}, "Output length"));
    var formulaBlock = el("pre", { tabindex: "0", role: "region", "aria-label": "Output length formula" });
    formulaBlock.appendChild(el("code", {}, trace.lengthFormula.join("\n      ")));
    length.appendChild(formulaBlock);
    box.appendChild(length);
    if (trace.unread.length) {
      box.appendChild(el("p", { class: "cp-note" }, "Never read: " + trace.unread.map(function (i) {
        return "x[" + i + "] = " + fmt(trace.config.input[i]);
      }).join(", ") + ". No window reaches " + (trace.unread.length > 1 ? "these inputs" : "this input") + "."));
    }

    /* every output with its formula */
    var tableWrap = el("div", { class: "cp-table", role: "region", "aria-label": "Every output", tabindex: "0" });
    var table = el("table", {});
    table.appendChild(el("caption", {}, "Every output, by hand"));
    var head = el("tr", {});
    ["output", "formula", "arithmetic"].forEach(function (name) { head.appendChild(el("th", { scope: "col" }, name)); });
    var thead = el("thead", {});
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el("tbody", {});
    this.rowNodes = trace.steps.map(function (step, i) {
      var row = el("tr", {});
      row.appendChild(el("th", { scope: "row" }, "y[" + i + "]"));
      row.appendChild(el("td", {}, formula(trace, step)));
      row.appendChild(el("td", {}, arithmetic(trace, step)));
      body.appendChild(row);
      return row;
    });
    table.appendChild(body);
    tableWrap.appendChild(table);
    box.appendChild(tableWrap);

    /* the same in PyTorch */
    box.appendChild(el("p", { class: "cp-code-label" }, "The same configuration in PyTorch:"));
    var pre = el("pre", { class: "cp-code", tabindex: "0", role: "region", "aria-label": "PyTorch code" });
    pre.appendChild(el("code", { "data-testid": "pytorch-code" }, pytorchCode(trace)));
    box.appendChild(pre);

    this.go(this.step, true);
  };

  Playground.prototype.go = function (index, quiet) {
    var trace = this.trace;
    if (!trace) return;
    var count = trace.steps.length;
    this.step = Math.max(0, Math.min(count - 1, index));
    var step = trace.steps[this.step];
    var self = this;
    this.cellNodes.forEach(function (node) { node.classList.remove("cp-current"); });
    this.kernelNodes.forEach(function (node) { node.textContent = ""; node.classList.remove("cp-tap"); });
    step.terms.forEach(function (term) {
      self.cellNodes[term.cell].classList.add("cp-current");
      var slot = self.kernelNodes[term.cell];
      slot.classList.add("cp-tap");
      slot.appendChild(el("span", { class: "cp-value" }, fmt(term.weight)));
      slot.appendChild(el("span", { class: "cp-caption" }, "w" + term.tap));
    });
    this.outputNodes.forEach(function (node, i) { node.classList.toggle("cp-current", i === self.step); });
    this.rowNodes.forEach(function (row, i) { row.classList.toggle("cp-current", i === self.step); });
    this.slider.value = String(this.step);
    this.slider.setAttribute("aria-valuetext", "step " + (this.step + 1) + " of " + count);
    var name = "y[" + step.position + "]";
    var text = "Step " + (this.step + 1) + " of " + count + ": " + (step.terms.length
      ? name + " = " + formula(trace, step) + " = " + arithmetic(trace, step)
      : "no input cell reaches " + name + ", so " + name + " = " + arithmetic(trace, step));
    if (quiet && this.status.textContent === text) return;
    this.status.textContent = text;
  };

  Playground.prototype.toggle = function () {
    if (this.timer !== null) {
      this.stop();
      return;
    }
    var self = this;
    if (this.step >= this.trace.steps.length - 1) this.go(0);
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-pressed", "true");
    this.timer = window.setInterval(function () {
      if (!self.root.isConnected || self.step >= self.trace.steps.length - 1) {
        self.stop();
        return;
      }
      self.go(self.step + 1);
    }, 1200);
  };

  var current = null;

  function start() {
    var root = document.querySelector("[data-conv-playground]");
    if (current) current.stop();
    current = root ? new Playground(root) : null;
  }

  /* Plain data for tests: what the page shows for a configuration of strings. */
  function summary(raw) {
    var result = compute(raw);
    if (result.error) return { error: result.error };
    var trace = result.trace;
    return {
      output: trace.output,
      formulas: trace.steps.map(function (step) { return formula(trace, step); }),
      arithmetic: trace.steps.map(function (step) { return arithmetic(trace, step); }),
      cells: trace.cells.map(function (cell) { return cell.value; }),
      sources: trace.cells.map(function (cell) { return cell.source; }),
      unread: trace.unread,
      code: pytorchCode(trace),
    };
  }

  window.convPlayground = { compute: compute, summary: summary, fmt: fmt };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start); /* mkdocs-material: runs on every page, instant navigation included */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

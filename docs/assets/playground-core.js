/*
 * The playground's arithmetic: conv_docs' trace, padding and receptive field, repeated in the browser.
 *
 * Mirrors conv_docs.params (the checks, padding), conv_docs.trace (trace_conv1d, trace_conv_transpose1d and their
 * formula and arithmetic sentences), conv_docs.causal (causal padding) and conv_docs.receptive_field (lengths,
 * fields, the cells one cell reads). tests/test_playground.py checks it in a browser against conv_docs on hundreds of
 * seeded configurations. Nothing here touches the page: docs/assets/playground.js draws what this computes.
 *
 * window.convCore.compute({input: "2,3,4", weight: "1,1", ...}) -> {trace} or {error, field}: a configuration of
 * strings as the page address holds them; window.convCore.computeStack({layers: "3,1,1,0;3,2,1,0", ...}) likewise.
 * An error names the setting at fault (field: the key of its control) and what it got.
 */
(function () {
  "use strict";

  if (window.convCore) return; /* instant navigation runs this script again */

  var MODES = ["zeros", "reflect", "replicate", "circular"];
  var LIMITS = { input: 64, weight: 16, stride: 16, dilation: 16, padding: 32, channels: 8, layers: 4 };
  var SEED = {
    input: "2,3,4", weight: "1,1", bias: "0", stride: "2", padding: "1", padding_mode: "zeros", dilation: "1",
    groups: "1", causal: "", transposed: "", output_padding: "0", layers: "3,1,1,0;3,2,1,0;3,1,1,0",
    stack_length: "16", stack_input: "",
  };
  var KEYS = Object.keys(SEED);
  var FLAGS = ["causal", "transposed"];
  var NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var INTEGER = /^[+-]?\d+$/;
  var ON = ["1", "true", "on", "yes"];
  var OFF = ["", "0", "false", "off", "no"];

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

  function range(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  }

  /* --- reading a configuration (conv_docs.params) ------------------------------------------------------------- */

  /* a refused setting: field is the key of the control at fault, the message names it and what it got */
  function Invalid(field, message) {
    this.field = field;
    this.message = message;
  }

  /* what the reader typed, quoted, and cut short when it is long */
  function quote(text) {
    text = String(text);
    return "\u201c" + (text.length > 24 ? text.slice(0, 20) + "\u2026" : text) + "\u201d";
  }

  /* "2, 3, 4": numbers between commas; an empty place ("1,2,,3") is refused, not skipped */
  function numbers(field, name, text, limit) {
    var source = String(text);
    if (source.trim() === "") throw new Invalid(field, name + " needs at least one number, e.g. 2, 3, 4");
    var parts = source.split(",").map(function (part) { return part.trim(); });
    parts.forEach(function (part, n) {
      if (part === "") {
        throw new Invalid(field, name + " has nothing between two commas (value " + (n + 1) + " of " + parts.length +
          "): write a number there or remove a comma");
      }
    });
    if (parts.length > limit) {
      throw new Invalid(field, name + " can hold at most " + limit + " values here, got " + parts.length);
    }
    return parts.map(function (part) {
      var value = Number(part);
      if (!NUMBER.test(part) || !isFinite(value)) {
        throw new Invalid(field, name + " must be numbers separated by commas, got " + quote(part));
      }
      return value;
    });
  }

  function integer(field, name, text, minimum, maximum) {
    var trimmed = String(text).trim();
    if (!INTEGER.test(trimmed)) throw new Invalid(field, name + " must be a whole number, got " + quote(trimmed));
    var value = Number(trimmed);
    if (value < minimum) throw new Invalid(field, name + " must be at least " + minimum + ", got " + value);
    if (maximum !== undefined && value > maximum) {
      throw new Invalid(field, name + " can be at most " + maximum + " here, got " + value);
    }
    return value;
  }

  /* a switch in the address: 1, true, on, yes or 0, false, off, no, empty; anything else is refused */
  function flag(field, text) {
    var value = String(text === undefined ? "" : text).trim().toLowerCase();
    if (ON.indexOf(value) >= 0) return true;
    if (OFF.indexOf(value) >= 0) return false;
    throw new Invalid(field, field + " must be 1 (on) or 0 (off), got " + quote(text));
  }

  /* the same, for a view that only asks whether a switch is on */
  function isOn(text) {
    return ON.indexOf(String(text === undefined ? "" : text).trim().toLowerCase()) >= 0;
  }

  function channelCount(field, name, count) {
    if (count > LIMITS.channels) {
      throw new Invalid(field, name + " can have at most " + LIMITS.channels + " channels here (separated by ;), got " +
        count);
    }
  }

  /* "2,3,4;1,0,-1": one row per channel, all the same length */
  function channels(text) {
    var rows = String(text).split(";").map(function (row, c, all) {
      return numbers("input", all.length > 1 ? "input channel " + c : "input", row, LIMITS.input);
    });
    channelCount("input", "input", rows.length);
    rows.forEach(function (row, c) {
      if (row.length !== rows[0].length) {
        throw new Invalid("input", "input channels must all have the same length: channel 0 has " + rows[0].length +
          " values, channel " + c + " has " + row.length);
      }
    });
    return rows;
  }

  /* "1,1|0,1;2,0|1,-1": the weight as torch lays it out, first index by ;, second by |, taps by , */
  function kernels(text) {
    var rows = String(text).split(";").map(function (row) {
      return row.split("|").map(function (kernel) { return numbers("weight", "weight", kernel, LIMITS.weight); });
    });
    channelCount("weight", "weight", rows.length);
    rows.forEach(function (row, a) {
      channelCount("weight", "weight", row.length);
      if (row.length !== rows[0].length) {
        throw new Invalid("weight", "weight: every part between ; needs the same number of kernels (separated by |): " +
          "part 0 has " + rows[0].length + ", part " + a + " has " + row.length);
      }
      row.forEach(function (kernel) {
        if (kernel.length !== rows[0][0].length) {
          throw new Invalid("weight", "weight: every kernel needs the same number of taps (kernel_size): the first has " +
            rows[0][0].length + ", another has " + kernel.length);
        }
      });
    });
    return rows;
  }

  function biases(text, outChannels) {
    var bias = String(text === undefined ? "" : text).trim();
    if (bias === "" || bias === "none") return null;
    var values = numbers("bias", "bias", bias, LIMITS.channels);
    if (values.length !== outChannels) {
      throw new Invalid("bias", "bias needs one number per output channel: " + outChannels + " (out_channels), got " +
        values.length);
    }
    return values;
  }

  function parse(raw) {
    var config = {};
    config.transposed = flag("transposed", raw.transposed);
    config.causal = flag("causal", raw.causal);
    if (config.causal && config.transposed) {
      throw new Invalid("causal", "causal applies to Conv1d only: clear causal or transposed");
    }
    config.input = channels(raw.input);
    config.weight = kernels(raw.weight);
    var inChannels = config.input.length;
    config.stride = integer("stride", "stride", raw.stride, 1, LIMITS.stride);
    config.dilation = integer("dilation", "dilation", raw.dilation, 1, LIMITS.dilation);
    config.groups = integer("groups", "groups", raw.groups, 1, LIMITS.channels);
    var g = config.groups, first = config.weight.length, second = config.weight[0].length;
    var outChannels;
    if (config.transposed) {
      if (first !== inChannels) {
        throw new Invalid("weight", "weight for ConvTranspose1d has one part (separated by ;) per input channel: " +
          "the input has " + inChannels + " channels, the weight " + first);
      }
      outChannels = second * g;
    } else {
      outChannels = first;
    }
    channelCount("out_channels", "out_channels", outChannels);
    [["in_channels", inChannels], ["out_channels", outChannels]].forEach(function (pair) {
      if (pair[1] % g) {
        throw new Invalid("groups", "groups=" + g + " must divide " + pair[0] + "=" + pair[1] + ": try groups=1");
      }
    });
    if (!config.transposed && second * g !== inChannels) {
      throw new Invalid("weight", "weight needs in_channels/groups = " + inChannels / g + " kernels per output channel " +
        "(separated by |), got " + second);
    }
    config.inChannels = inChannels;
    config.outChannels = outChannels;
    config.bias = biases(raw.bias, outChannels);
    if (config.causal) {
      config.padding = 0;
      config.padding_mode = "zeros";
      config.output_padding = 0;
      return config;
    }
    var padding = String(raw.padding).trim();
    if (padding === "same" || padding === "valid") {
      if (config.transposed) {
        throw new Invalid("padding", "padding must be a whole number for a transposed convolution " +
          "('same' and 'valid' are conv1d only), got " + quote(padding));
      }
      config.padding = padding;
    } else if (INTEGER.test(padding)) {
      config.padding = integer("padding", "padding", padding, 0, LIMITS.padding);
    } else {
      throw new Invalid("padding", "padding must be a whole number \u2265 0, 'same' or 'valid', got " + quote(padding));
    }
    if (MODES.indexOf(raw.padding_mode) < 0) {
      throw new Invalid("padding_mode", "padding_mode must be one of " + MODES.join(", ") + ", got " +
        quote(raw.padding_mode));
    }
    config.padding_mode = raw.padding_mode;
    if (config.transposed) {
      if (config.padding_mode !== "zeros") {
        throw new Invalid("padding_mode", "padding_mode must be zeros for a transposed convolution, got " +
          config.padding_mode);
      }
      config.output_padding = integer("output_padding", "output_padding", raw.output_padding, 0);
    } else {
      config.output_padding = 0;
    }
    return config;
  }

  /* --- the arithmetic, as conv_docs.trace does it -------------------------------------------------------------- */

  /* which input a cell of the padded input holds (conv_docs.params padding modes); null for a zero */
  function paddingSource(q, length, left, mode) {
    var i = q - left;
    if (i >= 0 && i < length) return i;
    if (mode === "zeros") return null;
    if (mode === "reflect") return i < 0 ? -i : 2 * (length - 1) - i;
    if (mode === "replicate") return i < 0 ? 0 : length - 1;
    return ((i % length) + length) % length; /* circular */
  }

  function finishStep(config, channel, position, terms) {
    var sum = 0;
    terms.forEach(function (term) { sum += term.product; });
    var bias = config.bias === null ? 0 : config.bias[channel];
    return { channel: channel, position: position, terms: terms, bias: bias, output: bias + sum };
  }

  function term(channel, tap, index, cell, source, weight, value) {
    return {
      channel: channel, tap: tap, index: index, cell: cell, source: source, weight: weight, value: value,
      product: weight * value,
    };
  }

  /* the zeros (or copies) on each side, as conv_docs.params resolves padding; causal: all on the left */
  function sides(config, length, k) {
    var dilation = config.dilation;
    if (config.causal) return [dilation * (k - 1), 0]; /* conv_docs.causal.causal_padding */
    if (config.padding === "valid") return [0, 0];
    if (config.padding === "same") {
      if (config.stride !== 1) {
        throw new Invalid("padding", "padding 'same' needs stride 1, got stride " + config.stride +
          ": with a larger stride no padding keeps the output as long as the input");
      }
      var total = dilation * (k - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    return [config.padding, config.padding];
  }

  function traceConv1d(config) {
    var x = config.input, w = config.weight, length = x[0].length, k = w[0][0].length;
    var stride = config.stride, dilation = config.dilation, mode = config.padding_mode;
    var padding = sides(config, length, k), left = padding[0], right = padding[1];
    if (mode === "reflect" && Math.max(left, right) >= length) {
      throw new Invalid("padding", "padding_mode reflect needs padding smaller than the input length " + length +
        ", got padding (" + left + ", " + right + ")");
    }
    if (mode === "circular" && Math.max(left, right) > length) {
      throw new Invalid("padding", "padding_mode circular may wrap around at most once: padding must be at most " +
        "the input length " + length + ", got padding (" + left + ", " + right + ")");
    }
    var span = dilation * (k - 1) + 1;
    var padded = left + length + right;
    if (span > padded) {
      throw new Invalid("weight", "the kernel (" + k + " weights, dilation " + dilation + ") spans " + span +
        " cells, more than the padded input length " + padded + " (input " + length + ", padding (" + left + ", " +
        right + "))");
    }
    var cells = x.map(function (row) {
      return range(padded).map(function (q) {
        var source = paddingSource(q, length, left, mode);
        var inside = q - left >= 0 && q - left < length;
        return { position: q, value: source === null ? 0 : row[source], kind: inside ? "input" : mode, source: source };
      });
    });
    var outLength = Math.floor((length + left + right - span) / stride) + 1;
    var groupIn = w[0].length, groupOut = config.outChannels / config.groups;
    var steps = [];
    for (var co = 0; co < config.outChannels; co++) {
      var g = Math.floor(co / groupOut);
      for (var t = 0; t < outLength; t++) {
        var terms = [];
        for (var c = 0; c < groupIn; c++) {
          var ci = g * groupIn + c;
          for (var j = 0; j < k; j++) {
            var cell = cells[ci][t * stride + j * dilation];
            terms.push(term(ci, j, [co, c, j], cell.position, cell.source, w[co][c][j], cell.value));
          }
        }
        steps.push(finishStep(config, co, t, terms));
      }
    }
    var lengthFormula = config.causal ? [
      "L_out = floor((L \u2212 1) / stride) + 1   (the left padding dilation\u00b7(K\u22121) cancels the kernel\u2019s span)",
      "= floor((" + length + " \u2212 1) / " + stride + ") + 1 = " + outLength,
    ] : [
      "L_out = floor((L + left + right \u2212 dilation\u00b7(K\u22121) \u2212 1) / stride) + 1",
      "= floor((" + length + " + " + left + " + " + right + " \u2212 " + dilation + "\u00b7(" + k + "\u22121) \u2212 1) / " +
        stride + ") + 1 = " + outLength,
    ];
    return finishTrace(config, "conv1d", cells, steps, [left, right], 0, outLength, lengthFormula);
  }

  function traceConvTranspose1d(config) {
    var x = config.input, w = config.weight, length = x[0].length, k = w[0][0].length;
    var stride = config.stride, dilation = config.dilation, padding = config.padding, extra = config.output_padding;
    if (extra >= Math.max(stride, dilation)) {
      throw new Invalid("output_padding", "output_padding must be smaller than stride (" + stride + ") or dilation (" +
        dilation + "), got " + extra);
    }
    var outLength = (length - 1) * stride - 2 * padding + dilation * (k - 1) + extra + 1;
    if (outLength < 1) {
      throw new Invalid("padding", "the output length (L\u22121)\u00b7stride \u2212 2\u00b7padding + " +
        "dilation\u00b7(K\u22121) + output_padding + 1 = " + outLength + " is below 1: reduce padding");
    }
    var cells = x.map(function (row) {
      return row.map(function (value, i) { return { position: i, value: value, kind: "input", source: i }; });
    });
    var groupOut = w[0].length, groupIn = config.inChannels / config.groups;
    var steps = [];
    for (var co = 0; co < config.outChannels; co++) {
      var g = Math.floor(co / groupOut), c = co % groupOut;
      for (var o = 0; o < outLength; o++) {
        var terms = [];
        for (var ci = g * groupIn; ci < (g + 1) * groupIn; ci++) {
          for (var j = 0; j < k; j++) {
            var reach = o + padding - j * dilation;
            if (reach % stride !== 0) continue;
            var i = reach / stride;
            if (i < 0 || i >= length) continue;
            terms.push(term(ci, j, [ci, c, j], i, i, w[ci][c][j], x[ci][i]));
          }
        }
        steps.push(finishStep(config, co, o, terms));
      }
    }
    /* padding adds no cells around the input: it crops that many output cells at each end */
    return finishTrace(config, "conv_transpose1d", cells, steps, [0, 0], padding, outLength, [
      "L_out = (L\u22121)\u00b7stride \u2212 2\u00b7padding + dilation\u00b7(K\u22121) + output_padding + 1",
      "= (" + length + "\u22121)\u00b7" + stride + " \u2212 2\u00b7" + padding + " + " + dilation + "\u00b7(" + k +
        "\u22121) + " + extra + " + 1 = " + outLength,
    ]);
  }

  /* padding: the cells added around the input (left, right), [0, 0] for a transposed convolution; cropped: the output
     cells a transposed convolution's padding cuts off each end, 0 for conv1d (conv_docs.trace.Trace) */
  function finishTrace(config, op, cells, steps, padding, cropped, outLength, lengthFormula) {
    var reached = {};
    steps.forEach(function (step) {
      step.terms.forEach(function (t) { if (t.source !== null) reached[t.channel + ":" + t.source] = true; });
    });
    var unread = [];
    config.input.forEach(function (row, c) {
      row.forEach(function (_, i) { if (!reached[c + ":" + i]) unread.push([c, i]); });
    });
    var output = range(config.outChannels).map(function (co) {
      return steps.slice(co * outLength, (co + 1) * outLength).map(function (step) { return step.output; });
    });
    return {
      op: op, config: config, cells: cells, steps: steps, padding: padding, cropped: cropped, unread: unread,
      output: output, outLength: outLength, lengthFormula: lengthFormula,
      single: config.inChannels === 1 && config.outChannels === 1,
    };
  }

  /* --- the sentences of a step (conv_docs.trace.Step.formula and arithmetic) ------------------------------------ */

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

  function weightName(trace, t) {
    return trace.single ? "w" + t.tap : "w[" + t.index.join("][") + "]";
  }

  function formula(trace, step) {
    var parts = step.terms.map(function (t) { return product(fmt(t.value), weightName(trace, t)); });
    if (trace.config.bias !== null) parts.push("bias");
    return signedSum(parts);
  }

  function arithmetic(trace, step) {
    var parts = step.terms.map(function (t) { return product(fmt(t.value), fmt(t.weight)); });
    if (trace.config.bias !== null) parts.push(fmt(step.bias));
    return signedSum(parts) + " = " + fmt(step.output);
  }

  function outputName(trace, step) {
    return trace.single ? "y[" + step.position + "]" : "y[" + step.channel + "][" + step.position + "]";
  }

  function inputName(trace, c, i) {
    return trace.config.inChannels === 1 ? "x[" + i + "]" : "x[" + c + "][" + i + "]";
  }

  /* the input channels a step reads, and the partial sum over each */
  function channelSums(trace, step) {
    var order = [], by = {};
    step.terms.forEach(function (t) {
      if (!by[t.channel]) { by[t.channel] = []; order.push(t.channel); }
      by[t.channel].push(t);
    });
    return order.map(function (c) {
      var sum = 0;
      by[c].forEach(function (t) { sum += t.product; });
      return {
        channel: c, sum: sum,
        text: signedSum(by[c].map(function (t) { return product(fmt(t.value), fmt(t.weight)); })),
      };
    });
  }

  /* the group of output channel co, and the input channels it reads */
  function readsChannels(trace, co) {
    var config = trace.config, g;
    if (trace.op === "conv1d") {
      g = Math.floor(co / (config.outChannels / config.groups));
    } else {
      g = Math.floor(co / config.weight[0].length);
    }
    var per = config.inChannels / config.groups;
    return { group: g, channels: range(per).map(function (c) { return g * per + c; }) };
  }

  /* for each step, the cells it reads, each once: [channel, cell, source] */
  function links(trace) {
    return trace.steps.map(function (step) {
      var seen = {}, out = [];
      step.terms.forEach(function (t) {
        var key = t.channel + ":" + t.cell;
        if (!seen[key]) { seen[key] = true; out.push([t.channel, t.cell, t.source]); }
      });
      return out;
    });
  }

  function compute(raw) {
    try {
      var config = parse(Object.assign({}, SEED, raw || {}));
      return { trace: config.transposed ? traceConvTranspose1d(config) : traceConv1d(config) };
    } catch (error) {
      if (error instanceof Invalid) return { error: error.message, field: error.field };
      throw error;
    }
  }

  /* --- reshaping the settings to new channel counts or groups ------------------------------------------------- */

  /* the input, weight and bias texts for cin input and cout output channels in the given groups, keeping what is
     there (rows repeat the last one); throws Invalid naming input, weight or bias when one of them does not read */
  function reshape(raw, cin, cout, groups) {
    var input = channels(raw.input), weight = kernels(raw.weight);
    var transposed = isOn(raw.transposed);
    var first = transposed ? cin : cout, second = transposed ? cout / groups : cin / groups;
    var bias = String(raw.bias === undefined ? "" : raw.bias).trim();
    var oldBias = bias === "" || bias === "none" ? null : numbers("bias", "bias", bias, LIMITS.channels);
    function pick(list, n) { return list[Math.min(n, list.length - 1)]; }
    return {
      input: range(cin).map(function (i) { return pick(input, i).map(fmt).join(","); }).join(";"),
      weight: range(first).map(function (a) {
        return range(second).map(function (b) { return pick(pick(weight, a), b).map(fmt).join(","); }).join("|");
      }).join(";"),
      bias: oldBias === null ? "" : range(cout).map(function (o) {
        return fmt(o < oldBias.length ? oldBias[o] : 0);
      }).join(","),
      groups: String(groups),
    };
  }

  /* --- a stack of layers: lengths, receptive fields, footprints (conv_docs.receptive_field) ---------------- */

  function parseStack(raw) {
    var given = String(raw.stack_input === undefined ? "" : raw.stack_input).trim();
    var values = given === "" ? null : numbers("stack_input", "stack_input", given, LIMITS.input);
    var lengthText = String(raw.stack_length === undefined ? "" : raw.stack_length).trim();
    var length = values && lengthText === "" ? values.length
      : integer("stack_length", "stack_length", lengthText, 1, LIMITS.input);
    if (values && values.length !== length) {
      throw new Invalid("stack_input", "stack_input has " + values.length + " values but stack_length is " + length +
        ": give " + length + " values, or leave stack_input empty for an impulse");
    }
    var text = String(raw.layers).trim();
    var parts = text === "" ? [] : text.split(";");
    if (!parts.length || parts.length > LIMITS.layers) {
      throw new Invalid("layers", "layers needs 1 to " + LIMITS.layers + " layers separated by ;, each " +
        "kernel,stride,dilation,padding, got " + parts.length);
    }
    var layers = parts.map(function (part, n) {
      var v = part.split(",");
      var name = "layer " + (n + 1), key = "layer" + (n + 1) + "-";
      if (v.length !== 4) {
        throw new Invalid("layers", name + " needs four whole numbers kernel,stride,dilation,padding, got " +
          quote(part));
      }
      return {
        kernel: integer(key + "kernel", name + " kernel", v[0], 1, LIMITS.weight),
        stride: integer(key + "stride", name + " stride", v[1], 1, LIMITS.stride),
        dilation: integer(key + "dilation", name + " dilation", v[2], 1, LIMITS.dilation),
        padding: integer(key + "padding", name + " padding", v[3], 0, LIMITS.padding),
      };
    });
    var lengths = [length];
    layers.forEach(function (layer, n) {
      var L = lengths[n];
      var out = Math.floor((L + 2 * layer.padding - layer.dilation * (layer.kernel - 1) - 1) / layer.stride) + 1;
      if (out < 1) {
        throw new Invalid("layer" + (n + 1) + "-kernel", "layer " + (n + 1) + " gets " + L + " cells and has no " +
          "output: its kernel spans " + (layer.dilation * (layer.kernel - 1) + 1) + " cells with padding " +
          layer.padding + "; lengthen stack_length, add padding or shorten its kernel or dilation");
      }
      lengths.push(out);
    });
    var fields = [], field = 1, jump = 1;
    layers.forEach(function (layer) {
      field += layer.dilation * (layer.kernel - 1) * jump;
      jump *= layer.stride;
      fields.push(field);
    });
    /* without values, an impulse: 1 in the middle cell, 0 elsewhere */
    var input = values || range(length).map(function (i) { return i === Math.floor(length / 2) ? 1 : 0; });
    return { layers: layers, lengths: lengths, fields: fields, input: input, impulse: values === null };
  }

  /* every cell's value: each layer a Conv1d with every weight 1 and no bias, traced as the playground's step view is */
  function stackValues(stack) {
    var levels = [stack.input];
    stack.layers.forEach(function (layer) {
      var ones = range(layer.kernel).map(function () { return 1; });
      var trace = traceConv1d({
        input: [levels[levels.length - 1]], weight: [[ones]], bias: null, stride: layer.stride,
        dilation: layer.dilation, padding: layer.padding, padding_mode: "zeros", groups: 1, causal: false,
        transposed: false, output_padding: 0, inChannels: 1, outChannels: 1,
      });
      levels.push(trace.output[0]);
    });
    return levels;
  }

  /* cells of each level below ``level`` that cell ``position`` there depends on; padding cells listed, read nothing */
  function footprint(stack, level, position) {
    var levels = [];
    levels[level] = [position];
    for (var l = level; l > 0; l--) {
      var layer = stack.layers[l - 1], seen = {}, cells = [];
      levels[l].forEach(function (t) {
        if (t < 0 || t >= stack.lengths[l]) return; /* padding of the layer above: reads nothing */
        for (var j = 0; j < layer.kernel; j++) {
          var cell = t * layer.stride + j * layer.dilation - layer.padding;
          if (!seen[cell]) { seen[cell] = true; cells.push(cell); }
        }
      });
      levels[l - 1] = cells.sort(function (a, b) { return a - b; });
    }
    return levels;
  }

  function computeStack(raw) {
    try {
      var merged = Object.assign({}, SEED, raw || {});
      if (raw && raw.stack_input && raw.stack_length === undefined) merged.stack_length = ""; /* from the values */
      var stack = parseStack(merged);
      stack.values = stackValues(stack);
      return { stack: stack };
    } catch (error) {
      if (error instanceof Invalid) return { error: error.message, field: error.field };
      throw error;
    }
  }

  window.convCore = {
    MODES: MODES, LIMITS: LIMITS, SEED: SEED, KEYS: KEYS, FLAGS: FLAGS, INTEGER: INTEGER,
    Invalid: Invalid, fmt: fmt, range: range, flag: flag, isOn: isOn, quote: quote, numbers: numbers, integer: integer,
    channels: channels, kernels: kernels, parse: parse, compute: compute, reshape: reshape,
    traceConv1d: traceConv1d, traceConvTranspose1d: traceConvTranspose1d,
    product: product, signedSum: signedSum, weightName: weightName, formula: formula, arithmetic: arithmetic,
    outputName: outputName, inputName: inputName, channelSums: channelSums, readsChannels: readsChannels,
    links: links, parseStack: parseStack, stackValues: stackValues, footprint: footprint, computeStack: computeStack,
  };
  document.dispatchEvent(new Event("conv-core-ready"));
})();

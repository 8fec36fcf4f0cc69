// The action's step: connect, disconnect or status, as `mode` says.
'use strict';
require('./run.js').run('main');

// The job's clean-up: with `disconnect-on-exit`, removes what main created.
'use strict';
require('./run.js').run('post');

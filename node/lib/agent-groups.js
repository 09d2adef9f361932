'use strict';
// `client.agentGroups`: the core's Agent Groups API and hierarchy helpers.

const { int, ints, json, listOptions, ifMatch, call } = require('./args');

class AgentGroups {
  #native;

  /** @internal Use `client.agentGroups`. */
  constructor(native) {
    this.#native = native;
  }

  list(options) {
    return call(this.#native.list(listOptions(options)));
  }

  listIfModified(since, options) {
    return call(this.#native.listIfModified(int('since', since), listOptions(options)));
  }

  get(id) {
    return call(this.#native.get(int('id', id)));
  }

  getIfModified(id, since) {
    return call(this.#native.getIfModified(int('id', id), int('since', since)));
  }

  create(group) {
    return call(this.#native.create(json('group', group)));
  }

  createMany(groups) {
    return call(this.#native.createMany(json('groups', groups, true)));
  }

  update(group, guard) {
    return call(this.#native.update(json('group', group), ifMatch(guard)));
  }

  updateMany(groups, guard) {
    return call(this.#native.updateMany(json('groups', groups, true), ifMatch(guard)));
  }

  delete(id, guard) {
    return call(this.#native.delete(int('id', id), ifMatch(guard)));
  }

  deleteMany(ids, guard) {
    return call(this.#native.deleteMany(ints('ids', ids), ifMatch(guard)));
  }

  tree() {
    return call(this.#native.tree());
  }

  children(id) {
    return call(this.#native.children(int('id', id)));
  }

  members(id) {
    return call(this.#native.members(int('id', id)));
  }

  managers(id) {
    return call(this.#native.managers(int('id', id)));
  }
}

module.exports = { AgentGroups };

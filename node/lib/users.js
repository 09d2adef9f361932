'use strict';
// `client.users`: the core's Users API and its helpers, camelCase, Promise-based.

const { int, ints, str, json, listOptions, ifMatch, call, sync } = require('./args');
const { configError } = require('./errors');

class Users {
  #native;

  /** @internal Use `client.users`. */
  constructor(native) {
    this.#native = native;
  }

  /** A view whose read-modify-write helpers may send back a masked (empty) `fullName`. */
  allowMaskedBlank(yes = true) {
    return new Users(sync(() => this.#native.allowMaskedBlank(Boolean(yes))));
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

  create(user) {
    return call(this.#native.create(json('user', user)));
  }

  createMany(users) {
    return call(this.#native.createMany(json('users', users, true)));
  }

  update(user, guard) {
    return call(this.#native.update(json('user', user), ifMatch(guard)));
  }

  updateMany(users, guard) {
    return call(this.#native.updateMany(json('users', users, true), ifMatch(guard)));
  }

  delete(id, guard) {
    return call(this.#native.delete(int('id', id), ifMatch(guard)));
  }

  deleteMany(ids, guard) {
    return call(this.#native.deleteMany(ints('ids', ids), ifMatch(guard)));
  }

  resetPassword(id, newPassword) {
    return call(this.#native.resetPassword(int('id', id), str('newPassword', newPassword)));
  }

  changePassword(id, oldPassword, newPassword) {
    return call(
      this.#native.changePassword(int('id', id), str('oldPassword', oldPassword), str('newPassword', newPassword)),
    );
  }

  findByLoginName(loginName) {
    return call(this.#native.findByLoginName(str('loginName', loginName)));
  }

  inGroup(agentGroupId) {
    return call(this.#native.inGroup(int('agentGroupId', agentGroupId)));
  }

  managing(agentGroupId) {
    return call(this.#native.managing(int('agentGroupId', agentGroupId)));
  }

  withSkill(skillId) {
    return call(this.#native.withSkill(int('skillId', skillId)));
  }

  addSkills(userIds, skillIds) {
    return call(this.#native.addSkills(ints('userIds', userIds), ints('skillIds', skillIds)));
  }

  removeSkills(userIds, skillIds) {
    return call(this.#native.removeSkills(ints('userIds', userIds), ints('skillIds', skillIds)));
  }

  moveToGroup(userIds, agentGroupId) {
    return call(this.#native.moveToGroup(ints('userIds', userIds), int('agentGroupId', agentGroupId)));
  }

  /** `maxAsyncChats`: leave it out to keep it, `null` to inherit the account default. */
  setConcurrency(userIds, maxChats, maxAsyncChats) {
    const given = maxAsyncChats !== undefined;
    const value = maxAsyncChats === null || !given ? null : int('maxAsyncChats', maxAsyncChats);
    return call(this.#native.setConcurrency(ints('userIds', userIds), int('maxChats', maxChats), given, value));
  }

  /**
   * Read-modify-write: lays `patch` (wire field names) over each user, writes
   * them back under `If-Match`, and re-reads and retries on a conflict.
   */
  modify(userIds, patch) {
    if (typeof patch === 'function') {
      throw configError('patch', 'must be an object of fields to set (a callback cannot run inside the native retry loop)');
    }
    return call(this.#native.modify(ints('userIds', userIds), json('patch', patch)));
  }
}

module.exports = { Users };

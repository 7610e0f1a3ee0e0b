import { describe, expect, it } from 'vitest';
import { classifyAddress, refusalOf } from '../../../../functions/domain/webhooks/address-policy';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:7f00:1::', 'loopback'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['[2606:4700:4700::1111]', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('is undefined for names', () => {
    expect(classifyAddress('localhost')).toBeUndefined();
    expect(classifyAddress('hooks.example.com')).toBeUndefined();
  });
});

describe('refusalOf', () => {
  it('allows loopback only when the policy says so, never the other internal ranges', () => {
    expect(refusalOf('127.0.0.1', { allowLoopback: false })).toBe('loopback address');
    expect(refusalOf('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(refusalOf('::1', { allowLoopback: true })).toBeUndefined();
    expect(refusalOf('169.254.169.254', { allowLoopback: true })).toBe('link-local address');
    expect(refusalOf('10.0.0.1', { allowLoopback: true })).toBe('private address');
    expect(refusalOf('8.8.8.8', { allowLoopback: false })).toBeUndefined();
  });
});

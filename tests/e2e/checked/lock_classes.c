/*
 * lock_classes.c - lock order between lock classes (allocation sites).
 *
 * Every tree and every node is allocated by its own constructor, so all
 * trees' mutexes are one class and all nodes' another.  insert() locks a
 * tree, then a node; rebalance() a node, then a tree.  This run only ever
 * nests t1 -> a and b -> t2: no two locks are taken in both orders, yet two
 * goroutines running insert(t, n) and rebalance(n, t) on one tree and node
 * deadlock.  The checker reports the inversion between the classes.
 *
 * -DSAME_ORDER: rebalance() also locks the tree first: nothing to report.
 * Either way, two nodes are also locked together in address order (one
 * class nested in itself): never reported.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct tree {
    int size;
    co_mutex mu;
} tree;

typedef struct node {
    co_mutex mu;
    int value;
} node;

static tree *new_tree(void) { return calloc(1, sizeof(tree)); /* TREE_ALLOC */ }
static node *new_node(void) { return calloc(1, sizeof(node)); /* NODE_ALLOC */ }

static void insert(tree *t, node *n)
{
    co_mutex_lock(&t->mu); /* INSERT_TREE */
    co_mutex_lock(&n->mu); /* INSERT_NODE */
    n->value++;
    t->size++;
    co_mutex_unlock(&n->mu);
    co_mutex_unlock(&t->mu);
}

static void rebalance(node *n, tree *t)
{
#ifdef SAME_ORDER
    co_mutex_lock(&t->mu);
    co_mutex_lock(&n->mu);
#else
    co_mutex_lock(&n->mu); /* REBALANCE_NODE */
    co_mutex_lock(&t->mu); /* REBALANCE_TREE */
#endif
    t->size--;
    n->value--;
    co_mutex_unlock(&t->mu);
    co_mutex_unlock(&n->mu);
}

static void link_nodes(node *x, node *y)
{
    node *lo = x < y ? x : y, *hi = x < y ? y : x;
    co_mutex_lock(&lo->mu);
    co_mutex_lock(&hi->mu);
    x->value += y->value;
    co_mutex_unlock(&hi->mu);
    co_mutex_unlock(&lo->mu);
}

static void worker(void *arg)
{
    co_waitgroup *wg = arg;
    tree *t2 = new_tree();
    node *b = new_node();
    rebalance(b, t2);
    free(b);
    free(t2);
    co_waitgroup_done(wg);
}

int main(void)
{
    co_waitgroup wg = {0};
    tree *t1 = new_tree();
    node *a = new_node(), *c = new_node();
    insert(t1, a);
    co_waitgroup_add(&wg, 1);
    co_go(worker, &wg);
    co_waitgroup_wait(&wg);
    link_nodes(a, c);
    link_nodes(c, a);
    printf("sizes %d, values %d %d\n", t1->size, a->value, c->value);
    free(a);
    free(c);
    free(t1);
    return 0;
}
